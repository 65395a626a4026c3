/** Defensive access to the manifest's lists: rules run even when the shape is wrong. */
import { asList, isRecord } from '../paths.ts';

export interface Entry {
  index: number;
  value: Record<string, unknown>;
}

export function entriesOf(raw: Record<string, unknown>, key: string): Entry[] {
  return asList(raw[key]).flatMap((value, index) => (isRecord(value) ? [{ index, value }] : []));
}
