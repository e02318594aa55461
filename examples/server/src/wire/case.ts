import type { z } from 'zod';

/**
 * The snake_case spelling of a camelCase identifier, as a type: `taskType` → `task_type`.
 */
export type SnakeCase<S extends string> = S extends `${infer C}${infer Rest}`
  ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${SnakeCase<Rest>}`
  : S;

/** An object type with its keys renamed to snake_case. */
export type SnakeKeys<T> = { [K in keyof T as K extends string ? SnakeCase<K> : K]: T[K] };

/** The camelCase spelling of a snake_case identifier, as a type: `task_type` → `taskType`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer C}${infer Rest}`
  ? `${Head}${Uppercase<C>}${CamelCase<Rest>}`
  : S;

/** An object type with its keys renamed to camelCase. */
export type CamelKeys<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

/**
 * Converts a camelCase identifier to snake_case (`rowsOutput` → `rows_output`).
 *
 * @param name - a camelCase identifier
 * @returns the snake_case identifier
 * @example
 * ```ts
 * toSnake('taskType'); // 'task_type'
 * ```
 */
export function toSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Converts a snake_case identifier to camelCase (`rows_output` → `rowsOutput`).
 *
 * @param name - a snake_case identifier
 * @returns the camelCase identifier
 * @example
 * ```ts
 * toCamel('task_type'); // 'taskType'
 * ```
 */
export function toCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Renames the keys of a zod object shape to snake_case, keeping each field's schema: the wire
 * request schemas reuse the sdk's field schemas this way, so the REST contract is the domain
 * model spelled in snake_case.
 *
 * @param shape - a zod object shape with camelCase keys
 * @returns the same fields under snake_case keys
 * @example
 * ```ts
 * const Body = z.object(snakeShape(TaskInputSchema.shape)); // { task_type, timeout_seconds, … }
 * ```
 */
export function snakeShape<T extends Record<string, z.ZodType>>(shape: T): SnakeKeys<T> {
  const out: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(shape)) out[toSnake(k)] = v;
  return out as SnakeKeys<T>;
}

/**
 * Renames the top-level keys of a parsed wire object to camelCase, dropping undefined values
 * (so optional properties stay absent, as `exactOptionalPropertyTypes` wants).
 *
 * @param value - a parsed snake_case object
 * @returns the camelCase object
 * @example
 * ```ts
 * camelKeys({ task_type: 'batch' }); // { taskType: 'batch' }
 * ```
 */
export function camelKeys<T extends Record<string, unknown>>(value: T): CamelKeys<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[toCamel(k)] = v;
  return out as CamelKeys<T>;
}

/**
 * Spells a validation issue path the way the wire does: camelCase segments become snake_case
 * (`['outputs', 0]` stays, `['taskType']` becomes `task_type`).
 *
 * @param path - the path from zod or the sdk
 * @returns a dotted snake_case path, or `(root)` when empty
 * @example
 * ```ts
 * wirePath(['fields', 2, 'defaultValue']); // 'fields.2.default_value'
 * ```
 */
export function wirePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p) => (typeof p === 'string' ? toSnake(p) : String(p))).join('.');
}

/**
 * Spells a whole value the wire's way: object keys (at every depth) become snake_case, dates
 * become ISO-8601 strings. For reports with many nested keys (metadata sync).
 *
 * @param value - any JSON-like value
 * @returns the snake_case copy
 * @example
 * ```ts
 * snakeDeep({ rowCount: 3, startedAt: new Date(0) }); // { row_count: 3, started_at: '1970-…' }
 * ```
 */
export function snakeDeep(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(snakeDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[toSnake(k)] = snakeDeep(v);
    return out;
  }
  return value;
}
