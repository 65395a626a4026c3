import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where an OAuth client keeps what it must not lose and must not leak
 * (../shared/spec/2026-07-28/docs/basic/authorization/security-considerations.mdx: tokens are
 * stored securely and never logged). Two kinds of record:
 * - client registrations, keyed by the authorization server's `issuer` — credentials are bound to
 *   the server that issued them and never reused at another one
 *   (../shared/spec/2026-07-28/docs/basic/authorization/client-registration.mdx);
 * - tokens, keyed by resource and issuer, so a token is only ever sent to the resource it was
 *   requested for.
 */
export interface StoredClient {
  clientId: string;
  clientSecret?: string;
  /** How this client authenticates at the token endpoint. */
  tokenEndpointAuthMethod: string;
  /** Redirect URI the registration was made with (DCR re-registers when it changes). */
  redirectUri?: string;
}

export interface StoredTokens {
  accessToken: string;
  tokenType: string;
  /** Epoch milliseconds; absent when the server did not say. */
  expiresAt?: number;
  refreshToken?: string;
  /** Scopes the client asked for (the step-up union starts from these). */
  requestedScopes: string[];
  /** Scopes the server says it granted, when it said. */
  grantedScopes?: string[];
}

export interface TokenStore {
  getClient(issuer: string): Promise<StoredClient | undefined>;
  setClient(issuer: string, client: StoredClient): Promise<void>;
  deleteClient(issuer: string): Promise<void>;
  getTokens(resource: string, issuer: string): Promise<StoredTokens | undefined>;
  setTokens(resource: string, issuer: string, tokens: StoredTokens): Promise<void>;
  deleteTokens(resource: string, issuer: string): Promise<void>;
}

interface StoreData {
  clients: Record<string, StoredClient>;
  tokens: Record<string, StoredTokens>;
}

const tokenKey = (resource: string, issuer: string) => JSON.stringify([resource, issuer]);

/** Keeps everything in memory: the default, and what a server-side or test client wants. */
export class MemoryTokenStore implements TokenStore {
  protected data: StoreData = { clients: {}, tokens: {} };
  protected async load(): Promise<StoreData> {
    return this.data;
  }
  protected async save(): Promise<void> {}

  async getClient(issuer: string) {
    return (await this.load()).clients[issuer];
  }
  async setClient(issuer: string, client: StoredClient) {
    (await this.load()).clients[issuer] = client;
    await this.save();
  }
  async deleteClient(issuer: string) {
    delete (await this.load()).clients[issuer];
    await this.save();
  }
  async getTokens(resource: string, issuer: string) {
    return (await this.load()).tokens[tokenKey(resource, issuer)];
  }
  async setTokens(resource: string, issuer: string, tokens: StoredTokens) {
    (await this.load()).tokens[tokenKey(resource, issuer)] = tokens;
    await this.save();
  }
  async deleteTokens(resource: string, issuer: string) {
    delete (await this.load()).tokens[tokenKey(resource, issuer)];
    await this.save();
  }
}

/**
 * One JSON file, readable by its owner only (mode 0600), for CLIs that should not log in on every
 * run. Written to a temporary file and renamed, so a crash never leaves half a file.
 */
export class FileTokenStore extends MemoryTokenStore {
  readonly path: string;
  #loaded = false;
  constructor(path: string) {
    super();
    this.path = path;
  }
  protected override async load(): Promise<StoreData> {
    if (this.#loaded) return this.data;
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as Partial<StoreData>;
      this.data = { clients: parsed.clients ?? {}, tokens: parsed.tokens ?? {} };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the token store ${this.path}: ${(error as Error).message}`);
    }
    this.#loaded = true;
    return this.data;
  }
  protected override async save(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.path);
  }
}
