import { createHash } from 'node:crypto';

/**
 * What identifies a run for {@link deterministicRunId}.
 *
 * @example
 * ```ts
 * import type { RunIdentity } from '@dataportal/openlineage';
 * const id: RunIdentity = { engine: 'dolphin', externalRunId: '1042', nominalTime: new Date('2026-01-01T03:00:00Z') };
 * ```
 */
export interface RunIdentity {
  /** The engine that ran it (`dolphin`, `dinky`, `local`). */
  readonly engine: string;
  /** The engine's id of the run (workflow instance id, job instance id, …). */
  readonly externalRunId: string;
  /**
   * When the run was meant to happen (the schedule time) or, without a schedule, the first time
   * the portal saw it. Its milliseconds become the UUID's time prefix.
   */
  readonly nominalTime: Date;
  /** Extra scope (the task name) when external run ids are only unique per task. */
  readonly scope?: string;
}

/**
 * A deterministic, time-ordered UUIDv7 (RFC 9562) for a run: the 48-bit millisecond prefix is the
 * nominal time, the remaining 74 bits come from SHA-256 of the engine, external run id, scope and
 * nominal time. Replaying the same run (an export, a repeated callback, a restart of the portal)
 * yields the same run id, so consumers merge the events instead of seeing a second run.
 *
 * @param identity - engine, external run id, nominal time and optional scope
 * @returns a lower-case UUID string with version 7 and the RFC 4122 variant
 * @example
 * ```ts
 * import { deterministicRunId } from '@dataportal/openlineage';
 * const id = deterministicRunId({ engine: 'dolphin', externalRunId: '1042', nominalTime: new Date(0) });
 * id === deterministicRunId({ engine: 'dolphin', externalRunId: '1042', nominalTime: new Date(0) }); // true
 * ```
 */
export function deterministicRunId(identity: RunIdentity): string {
  const ms = Math.max(0, Math.floor(identity.nominalTime.getTime()));
  const digest = createHash('sha256')
    .update(
      [identity.engine, identity.externalRunId, identity.scope ?? '', String(ms)].join('\u0000'),
    )
    .digest();
  const bytes = Buffer.alloc(16);
  // 48-bit big-endian Unix milliseconds.
  bytes.writeUIntBE(ms % 2 ** 48, 0, 6);
  digest.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
