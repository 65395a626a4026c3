import type { SchemaObject } from './schema-types.ts';

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isPlainObject(value: unknown): value is SchemaObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function optional(expression: string): string {
  return `${expression}.optional()`;
}
