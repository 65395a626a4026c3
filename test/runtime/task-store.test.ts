import { describe, expect, it } from 'vitest';
import { InMemoryTaskStore, isExpired, updateTask, type TaskRecord } from './runtime-under-test.ts';

function record(taskId: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  const now = new Date().toISOString();
  return {
    taskId,
    owner: null,
    status: 'working',
    createdAt: now,
    lastUpdatedAt: now,
    ttlMs: 60_000,
    request: { method: 'tools/call', name: 'slow', arguments: {}, meta: {} },
    inputRequests: {},
    issuedKeys: [],
    answers: {},
    state: {},
    version: 1,
    ...overrides,
  };
}

describe('InMemoryTaskStore', () => {
  it('a cancel racing a completion has exactly one winner, and the loser sees the winner', async () => {
    for (let round = 0; round < 50; round += 1) {
      const store = new InMemoryTaskStore(0);
      await store.create(record('t'));
      const [cancel, complete] = await Promise.all([
        updateTask(store, 't', (r) => (r.status === 'working' ? { status: 'cancelled' } : undefined)),
        updateTask(store, 't', (r) => (r.status === 'working' ? { status: 'completed', result: { resultType: 'complete', content: [] } } : undefined)),
      ]);
      expect([cancel.applied, complete.applied].filter(Boolean)).toHaveLength(1);
      const final = await store.get('t');
      expect(final!.status).toBe(cancel.applied ? 'cancelled' : 'completed');
      expect(final!.version).toBe(2);
      // Terminal is immutable: no later write lands.
      const late = await updateTask(store, 't', () => ({ status: 'working' }));
      expect(late.applied).toBe(false);
    }
  });

  it('updateTask with a known record: a fresh copy saves the read, a stale one is re-read and never decides alone', async () => {
    const store = new InMemoryTaskStore(0);
    await store.create(record('t'));
    const v1 = (await store.get('t'))!;
    const reads = { n: 0 };
    const counted = Object.assign(Object.create(store) as InMemoryTaskStore, { get: (id: string) => (reads.n++, store.get(id)) });
    const fresh = await updateTask(counted, 't', () => ({ statusMessage: 'a' }), undefined, { known: v1 });
    expect([fresh.applied, fresh.record?.version, reads.n]).toEqual([true, 2, 0]);
    // Stale copy (v1) of a record now at v2: the write is refused, re-read, applied on top of v2.
    const stale = await updateTask(counted, 't', () => ({ status: 'completed', result: { resultType: 'complete', content: [] } }), undefined, { known: v1 });
    expect([stale.applied, stale.record?.version, stale.record?.statusMessage, reads.n]).toEqual([true, 3, 'a', 1]);
    // A stale copy that says "nothing to do" (or a refused transition) is confirmed on the stored record.
    await store.create(record('u'));
    const u1 = (await store.get('u'))!;
    await updateTask(store, 'u', () => ({ status: 'input_required' }));
    const skip = await updateTask(store, 'u', (r) => (r.status === 'working' ? undefined : { status: 'working' }), undefined, { known: u1 });
    expect([skip.applied, skip.record?.status, skip.record?.version]).toEqual([true, 'working', 3]);
    const done = { ...u1, status: 'cancelled' as const };
    const refused = await updateTask(store, 'u', () => ({ status: 'completed' }), undefined, { known: done });
    expect([refused.applied, refused.record?.status]).toEqual([true, 'completed']);
  });

  it('compareAndSet refuses a stale version and a version that does not advance by one', async () => {
    const store = new InMemoryTaskStore(0);
    await store.create(record('t'));
    const current = (await store.get('t'))!;
    expect(await store.compareAndSet('t', 1, { ...current, statusMessage: 'a', version: 3 })).toBe(false);
    expect(await store.compareAndSet('t', 1, { ...current, statusMessage: 'a', version: 2 })).toBe(true);
    expect(await store.compareAndSet('t', 1, { ...current, statusMessage: 'b', version: 2 })).toBe(false);
    expect((await store.get('t'))!.statusMessage).toBe('a');
    expect(await store.compareAndSet('missing', 1, { ...current, version: 2 })).toBe(false);
  });

  it('records are copies: mutating what get returned changes nothing stored', async () => {
    const store = new InMemoryTaskStore(0);
    await store.create(record('t'));
    const copy = (await store.get('t'))!;
    copy.status = 'failed';
    copy.answers.x = 1;
    expect((await store.get('t'))!.status).toBe('working');
    expect((await store.get('t'))!.answers).toEqual({});
    await expect(store.create(record('t'))).rejects.toThrow(/already exists/);
  });

  it('watchers see every write; TTL expiry is judged from createdAt + ttlMs, purge after the grace', async () => {
    const store = new InMemoryTaskStore(0);
    const seen: string[] = [];
    const stop = store.watch((r) => seen.push(`${r.taskId}:${r.status}:${r.version}`));
    await store.create(record('a'));
    await updateTask(store, 'a', () => ({ status: 'input_required' }));
    stop();
    await updateTask(store, 'a', () => ({ status: 'working' }));
    expect(seen).toEqual(['a:working:1', 'a:input_required:2']);

    const old = new Date(Date.now() - 10_000).toISOString();
    const expired = record('old', { createdAt: old, ttlMs: 5_000 });
    expect(isExpired(expired)).toBe(true);
    expect(isExpired(record('forever', { createdAt: old, ttlMs: null }))).toBe(false);
    await store.create(expired);
    expect(await store.get('old')).toBeDefined(); // still inside the grace: "expired", not "not found"
    await store.create(record('gone', { createdAt: new Date(Date.now() - 10 * 60_000).toISOString(), ttlMs: 1_000 }));
    expect(await store.get('gone')).toBeUndefined();
  });
});
