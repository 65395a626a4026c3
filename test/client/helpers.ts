import type { RuntimeLogger } from '../../templates/runtime/log.ts';

/** Collects warnings instead of printing them. */
export function collectingLogger(): RuntimeLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, error: (m) => warnings.push(m), warn: (m) => warnings.push(m), info: () => {} };
}

export const quietLogger: RuntimeLogger = { error() {}, warn() {}, info() {} };

/** A `fetch` that records every request's lower-cased headers and parsed body. */
export function recordingFetch(inner: typeof fetch = globalThis.fetch) {
  const requests: { headers: Record<string, string>; body: any }[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    let body: unknown;
    try {
      body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    } catch {
      body = init?.body;
    }
    requests.push({ headers, body });
    return inner(input, init);
  };
  return { fetch: wrapped, requests };
}
