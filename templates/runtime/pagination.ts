import { invalidParams } from './errors.ts';
import { isPlainObject } from './json.ts';
import type { TokenSealer } from './sealed-token.ts';

const PURPOSE = 'mcp/cursor';
/** Cursors stay valid for a day: long enough to page through, short enough to bound replay. */
const CURSOR_TTL_MS = 24 * 60 * 60 * 1000;

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Offset pagination behind a sealed cursor (server/utilities/pagination.mdx): clients treat the
 * cursor as opaque, and one that was forged, tampered with or minted for another list is -32602.
 */
export function paginate<T>(items: readonly T[], cursor: unknown, list: string, sealer: TokenSealer, pageSize: number): Page<T> {
  let offset = 0;
  if (cursor !== undefined) {
    const data = typeof cursor === 'string' ? sealer.open(PURPOSE, cursor) : undefined;
    if (!isPlainObject(data) || data.l !== list || typeof data.o !== 'number' || data.o < 0 || data.o > items.length)
      throw invalidParams('Invalid cursor');
    offset = data.o;
  }
  const end = Math.min(offset + pageSize, items.length);
  return {
    items: items.slice(offset, end),
    nextCursor: end < items.length ? sealer.seal(PURPOSE, { l: list, o: end }, CURSOR_TTL_MS) : undefined,
  };
}
