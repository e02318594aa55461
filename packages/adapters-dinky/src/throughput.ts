import type { DinkyClient } from './client';
import type { DinkyCallOptions } from './client/types';
import { DinkyError } from './errors';
import type { DinkyJobInfoDetail, FlinkJobDetail, FlinkVertex } from './schemas';

// Throughput of a Dinky job: records per second out of its sources, from Flink's job detail and
// vertex metrics as Dinky proxies them. What Flink reports for chained and unchained graphs was
// measured on Flink 1.20.3 (`../shared/flink/run-flink.sh`, notes in `../shared/reference/dinky.md`).

interface Sample {
  readonly at: number;
  readonly records: number;
  /** Whether every source's records were read (a counter difference needs both samples whole). */
  readonly complete: boolean;
}

interface OperatorMetricNames {
  readonly counters: readonly string[];
  readonly rates: readonly string[];
}

const SOURCE_OP = /^\d+\.Source__.+\.numRecordsOut(PerSecond)?$/;
const SINK_OP = /^\d+\..*(?:Sink__|__Writer).*\.numRecordsIn(PerSecond)?$/;

/**
 * Picks the operator-scope record metrics of a chained vertex: Flink names them
 * `<subtask>.<operator>.<metric>` with the operator name's spaces and ':' as '_'
 * (`Source: src[1]` → `0.Source__src[1].numRecordsOut`). Sources first; the sink's input when the
 * vertex lists no source operator.
 */
function pickOperatorMetrics(ids: readonly string[]): OperatorMetricNames {
  const pick = (re: RegExp): OperatorMetricNames => ({
    counters: ids.filter((id) => re.test(id) && !id.endsWith('PerSecond')),
    rates: ids.filter((id) => re.test(id) && id.endsWith('PerSecond')),
  });
  const sources = pick(SOURCE_OP);
  return sources.counters.length > 0 || sources.rates.length > 0 ? sources : pick(SINK_OP);
}

/**
 * Vertices no other vertex reads from, by the job plan's edges (`plan.nodes[].inputs[].id`). A
 * source vertex among them is chained into its sink. Without a plan only a one-vertex job counts.
 */
function terminalVertices(job: FlinkJobDetail): Set<string> {
  const nodes = job.plan?.nodes ?? [];
  if (nodes.length === 0) {
    return new Set(job.vertices.length === 1 ? job.vertices.map((v) => v.id) : []);
  }
  const read = new Set(nodes.flatMap((n) => n.inputs.map((i) => i.id)));
  return new Set(job.vertices.map((v) => v.id).filter((id) => !read.has(id)));
}

function sourceVertices(vertices: readonly FlinkVertex[]): FlinkVertex[] {
  const named = vertices.filter((v) => /^source\b/i.test(v.name ?? ''));
  if (named.length > 0) return named;
  const noInput = vertices.filter((v) => (v.metrics?.['read-records'] ?? 0) === 0);
  return noInput.length > 0 ? noInput : vertices.slice(0, 1);
}

/** Measures a job's throughput from successive status reads; one per engine. */
export interface ThroughputMeter {
  /** Records per second out of the job's sources, or null when Flink gives nothing to go on. */
  measure(
    instanceId: number,
    detail: DinkyJobInfoDetail,
    at: number,
    call: DinkyCallOptions,
  ): Promise<number | null>;
  /** Drops the samples of an instance that ended. */
  forget(instanceId: number): void;
}

/** Creates the throughput meter of an engine. */
export function createThroughputMeter(
  client: DinkyClient,
  throughputMode: 'auto' | 'counters' | 'rate',
): ThroughputMeter {
  const samples = new Map<number, Sample>();
  const operatorMetricNames = new Map<string, OperatorMetricNames>();

  /**
   * Records per second out of the job's sources. Unchained source vertices carry their records in
   * the vertex counters of Flink's job detail (`write-records`) and in the task-scope rate
   * `<i>.numRecordsOutPerSecond`. A source chained all the way into its sink (a vertex nothing
   * reads from, e.g. `Source: src[1] -> Sink: snk[2]`) reports 0 in both: there the engine reads
   * the operator-scope metrics `<i>.Source__<name>.numRecordsOut[PerSecond]`, or the sink's
   * `<i>.<sink>.numRecordsIn[PerSecond]` when no source operator is listed (measured on Flink 1.20,
   * `../shared/flink`). Counter differences between two status calls win over the 60 s rate average.
   */
  const measure = async (
    instanceId: number,
    detail: DinkyJobInfoDetail,
    at: number,
    call: DinkyCallOptions,
  ): Promise<number | null> => {
    const job = detail.jobDataDto?.job;
    if (!job) return null;
    const address = detail.clusterInstance?.jobManagerHost ?? null;
    const jid = job.jid ?? null;
    const sources = sourceVertices(job.vertices);
    const terminal = terminalVertices(job);
    const chained = sources.filter((v) => terminal.has(v.id));
    const open = sources.filter((v) => !terminal.has(v.id));
    let records = open.reduce((n, v) => n + (v.metrics?.['write-records'] ?? 0), 0);
    let countsOk = true;
    let rate = 0;
    let rateSeen = false;
    for (const v of chained) {
      const op = address && jid ? await operatorRecords(address, jid, v, call) : null;
      if (op?.records === null || op === null) countsOk = false;
      else records += op.records;
      if (op?.rate !== null && op?.rate !== undefined) {
        rate += op.rate;
        rateSeen = true;
      }
    }
    const prev = samples.get(instanceId);
    samples.set(instanceId, { at, records, complete: countsOk });
    if (
      throughputMode !== 'rate' &&
      countsOk &&
      prev?.complete &&
      at > prev.at &&
      records >= prev.records
    ) {
      return Math.round(((records - prev.records) * 1000 * 100) / (at - prev.at)) / 100;
    }
    if (throughputMode === 'counters' || !address || !jid) return null;
    for (const v of open) {
      const ids = Array.from(
        { length: v.parallelism ?? 1 },
        (_, i) => `${i}.numRecordsOutPerSecond`,
      );
      const sum = await sumMetrics(address, jid, v.id, ids, call);
      if (sum !== null) {
        rate += sum;
        rateSeen = true;
      }
    }
    return rateSeen ? Math.round(rate * 100) / 100 : null;
  };

  /** Sums the values Flink gives for `ids` of one vertex, or null when it gives none. */
  const sumMetrics = async (
    address: string,
    jobId: string,
    vertexId: string,
    ids: readonly string[],
    call: DinkyCallOptions,
  ): Promise<number | null> => {
    if (ids.length === 0) return null;
    try {
      const metrics = await client.getVertexMetrics(
        { address, jobId, vertexId, metrics: ids },
        call,
      );
      let total = 0;
      let seen = false;
      for (const m of metrics) {
        const value = Number(m.value);
        if (Number.isFinite(value)) {
          total += value;
          seen = true;
        }
      }
      return seen ? total : null;
    } catch (err) {
      if (err instanceof DinkyError && err.code === 'ABORTED') throw err;
      return null;
    }
  };

  /** The operator-scope record counter and rate of a chained source vertex (summed over subtasks). */
  const operatorRecords = async (
    address: string,
    jobId: string,
    vertex: FlinkVertex,
    call: DinkyCallOptions,
  ): Promise<{ records: number | null; rate: number | null }> => {
    const key = `${jobId}/${vertex.id}`;
    let names = operatorMetricNames.get(key);
    if (!names) {
      let ids: string[] = [];
      try {
        ids = await client.getVertexMetricIds({ address, jobId, vertexId: vertex.id }, call);
      } catch (err) {
        if (err instanceof DinkyError && err.code === 'ABORTED') throw err;
      }
      names = pickOperatorMetrics(ids);
      // Flink lists a metric once it has a value; keep looking until the names show up.
      if (names.counters.length > 0) operatorMetricNames.set(key, names);
    }
    return {
      records: await sumMetrics(address, jobId, vertex.id, names.counters, call),
      rate: await sumMetrics(address, jobId, vertex.id, names.rates, call),
    };
  };

  return { measure, forget: (id) => samples.delete(id) };
}
