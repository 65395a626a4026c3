/**
 * A test-only SessionStore shared by replica processes through a directory (one JSON file per
 * session). It stands in for a networked store (Redis) in the nginx deploy test: it proves the
 * SessionStore interface carries a session across processes — `initialize` may land on any
 * replica, every later request of the session on the one nginx hashes its Mcp-Session-Id to.
 * Not for production: no locking, no eviction beyond the idle check on read.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionRecord, SessionStore } from '../../templates/runtime/index.ts';

export class DirectorySessionStore implements SessionStore {
  constructor(
    private readonly dir: string,
    private readonly idleTimeoutMs = 30 * 60 * 1000,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Session ids are base64url: safe as file names; anything else is never a stored id. */
  private path(id: string): string | undefined {
    return /^[A-Za-z0-9_-]{1,200}$/.test(id) ? join(this.dir, `${id}.json`) : undefined;
  }

  async create(record: SessionRecord): Promise<void> {
    writeFileSync(this.path(record.id)!, JSON.stringify(record));
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const path = this.path(id);
    if (!path) return undefined;
    let record: SessionRecord;
    try {
      record = JSON.parse(readFileSync(path, 'utf8')) as SessionRecord;
    } catch {
      return undefined;
    }
    if (Date.now() - record.lastSeenAt > this.idleTimeoutMs) {
      rmSync(path, { force: true });
      return undefined;
    }
    record.lastSeenAt = Date.now();
    writeFileSync(path, JSON.stringify(record));
    return record;
  }

  async update(record: SessionRecord): Promise<void> {
    const held = await this.get(record.id);
    if (held) writeFileSync(this.path(record.id)!, JSON.stringify({ ...held, logLevel: record.logLevel, subscriptions: record.subscriptions, initialized: record.initialized }));
  }

  async delete(id: string): Promise<boolean> {
    const path = this.path(id);
    if (!path) return false;
    try {
      rmSync(path);
      return true;
    } catch {
      return false;
    }
  }
}
