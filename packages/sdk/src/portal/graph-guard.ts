import type { Kysely } from 'kysely';
import { SdkError } from '../errors.js';
import { guessLayer } from '../models/common.js';
import type { Database } from '../storage/database.js';
import { findPathInStore } from '../storage/repositories/lineage.repository.js';
import { insertTable } from '../storage/repositories/table.repository.js';
import type { PortalContext } from './context.js';
import { resolveTableRows, type TableNameScope } from './table-names.js';

// The two rules every write to the table graph obeys (tasks and manual edges alike): the tables
// exist, and the graph stays acyclic.

/** Options for creating or updating a task. */
export interface TaskWriteOptions {
  /**
   * Register unknown input/output tables as `draft` (layer guessed from the name) instead of
   * rejecting the task. Defaults to false.
   */
  readonly registerMissingTables?: boolean;
}

/** The registered names a task's or edge's tables stand for. @internal */
export interface ResolvedTables {
  readonly inputs: string[];
  readonly outputs: string[];
}

/**
 * Resolves a task's or edge's table names as written to registered tables (the rule in
 * `table-names.ts`); registers missing ones as drafts under the name as written when asked
 * (layer guessed from the name), else throws UNKNOWN_TABLES.
 *
 * @returns the inputs and outputs as registered names, in the order given, without duplicates
 * @throws {@link SdkError} `UNKNOWN_TABLES`, `AMBIGUOUS_TABLE`
 * @internal
 */
export async function ensureTables(
  ctx: PortalContext,
  trx: Kysely<Database>,
  inputs: readonly string[],
  outputs: readonly string[],
  options: TaskWriteOptions & TableNameScope,
): Promise<ResolvedTables> {
  const names = [...new Set([...inputs, ...outputs])];
  const resolved = await resolveTableRows(trx, names, options);
  const missing = names.filter((n) => !resolved.get(n));
  if (missing.length > 0) {
    if (!options.registerMissingTables) {
      throw new SdkError(
        'UNKNOWN_TABLES',
        `sdk: unknown tables: ${missing.join(', ')} (register them first, or pass registerMissingTables)`,
        { details: { tables: missing } },
      );
    }
    const unguessable = missing.filter((n) => guessLayer(n) === null);
    if (unguessable.length > 0) {
      throw new SdkError(
        'UNKNOWN_TABLES',
        `sdk: unknown tables whose layer cannot be guessed from the name: ${unguessable.join(', ')}`,
        { details: { tables: unguessable } },
      );
    }
    const now = ctx.now();
    for (const name of missing) {
      await insertTable(
        trx,
        { qualifiedName: name, layer: guessLayer(name) ?? 'ODS', status: 'draft' },
        now,
      );
    }
  }
  const canonical = (n: string) => resolved.get(n)?.qualified_name ?? n;
  return {
    inputs: [...new Set(inputs.map(canonical))],
    outputs: [...new Set(outputs.map(canonical))],
  };
}

/** Throws CYCLE_DETECTED (with the path) when the edges would close a cycle. @internal */
export async function rejectCycle(
  trx: Kysely<Database>,
  taskId: number,
  inputs: readonly string[],
  outputs: readonly string[],
): Promise<void> {
  if (inputs.length === 0 || outputs.length === 0) return;
  const path = await findPathInStore(trx, outputs, new Set(inputs), taskId);
  if (!path) return;
  const last = path[path.length - 1] ?? '';
  const cycle = [last, ...path];
  throw new SdkError(
    'CYCLE_DETECTED',
    `sdk: the task would close a cycle in the table graph: ${cycle.join(' -> ')}`,
    { details: { cycle } },
  );
}
