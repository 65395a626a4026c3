import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Base64Url } from '../../templates/runtime/json.ts';
import { createTokenSealer, openRequestState, sealRequestState } from './runtime-under-test.ts';

describe('sealed tokens', () => {
  it('round-trips, and rejects tampering, other purposes, other keys and expiry', () => {
    let now = 1_000;
    const sealer = createTokenSealer('k'.repeat(32), () => now);
    const token = sealer.seal('p', { a: 1 }, 500);
    expect(sealer.open('p', token)).toEqual({ a: 1 });
    expect(sealer.open('q', token)).toBeUndefined();
    expect(createTokenSealer('x'.repeat(32), () => now).open('p', token)).toBeUndefined();
    const flipped = token.slice(0, -2) + (token.endsWith('A') ? 'B' : 'A') + token.slice(-1);
    for (const bad of [`${token}-TAMPERED`, `${token}=`, flipped, token.replace('v1.', 'v2.'), '', 'v1.']) expect(sealer.open('p', bad)).toBeUndefined();
    now = 1_501;
    expect(sealer.open('p', token)).toBeUndefined();
  });

  it('is unreadable without the key (AEAD, not just signed)', () => {
    const token = createTokenSealer('s'.repeat(32)).seal('p', { secret: 'hunter2' }, 1000);
    expect(Buffer.from(token.slice(3), 'base64url').toString('latin1')).not.toContain('hunter2');
  });
});

describe('requestState binding', () => {
  const sealer = createTokenSealer('b'.repeat(32));
  const binding = { method: 'tools/call', target: 'flow', args: { a: 1, b: [1, 2] }, principal: 'alice' };
  const state = sealRequestState(sealer, binding, { answers: { k: { action: 'accept' } }, state: { n: 1 } }, 60_000);

  it('opens for the same request, whatever the key order of its arguments', () => {
    const opened = openRequestState(sealer, state, { ...binding, args: { b: [1, 2], a: 1 } });
    expect(opened).toMatchObject({ answers: { k: { action: 'accept' } }, state: { n: 1 } });
    // Each seal gets its own use id (the replay guard's key) and carries its expiry.
    expect(opened.useId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(opened.expiresAt).toBeGreaterThan(Date.now());
    const again = sealRequestState(sealer, binding, { answers: {}, state: {} }, 60_000);
    expect(openRequestState(sealer, again, binding).useId).not.toBe(opened.useId);
  });

  it('refuses a sealed state without a use id (sealed before single use existed) as unverifiable', () => {
    const digest = sha256Base64Url(canonicalJson([binding.method, binding.target, binding.args, binding.principal]));
    const withId = sealer.seal('mcp/requestState', { b: digest, a: {}, s: {}, u: 'id', x: Date.now() + 60_000 }, 60_000);
    expect(openRequestState(sealer, withId, binding).useId).toBe('id'); // the same payload with an id opens
    const legacy = sealer.seal('mcp/requestState', { b: digest, a: {}, s: {} }, 60_000);
    expect(() => openRequestState(sealer, legacy, binding)).toThrow(expect.objectContaining({ code: -32602 }));
  });

  it.each([
    ['method', { method: 'prompts/get' }],
    ['target', { target: 'other' }],
    ['arguments', { args: { a: 2, b: [1, 2] } }],
    ['principal', { principal: 'mallory' }],
  ])('rejects another %s with -32602', (_label, change) => {
    expect(() => openRequestState(sealer, state, { ...binding, ...change })).toThrow(expect.objectContaining({ code: -32602 }));
  });

  it('treats absent state as a first round and non-strings as forged', () => {
    expect(openRequestState(sealer, undefined, binding)).toEqual({ answers: {}, state: {} });
    expect(() => openRequestState(sealer, 42, binding)).toThrow(expect.objectContaining({ code: -32602 }));
  });
});
