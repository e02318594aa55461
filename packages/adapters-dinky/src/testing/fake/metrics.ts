import { type FakeState, MSG, needParam } from './state';
import type { FakeJobInstance } from './types';

// Flink's job graph and metrics as Dinky proxies them: the vertices and plan of `GET /jobs/{id}`
// inside `JobInfoDetail.jobDataDto.job` (`dinky-common/.../data/flink/job/FlinkJobDetailInfo.java`),
// and `GET /api/jobInstance/getJobMetricsItems|getJobMetricsData` (`JobInstanceController` →
// `dinky-core/src/main/java/org/dinky/api/FlinkAPI.java`: `jobs/{jid}/vertices/{vid}/metrics`
// and `…/metrics?get=`; Dinky proxies no subtask aggregation). Names and values follow what
// Flink 1.20.3 answered for the three jobs of `../shared/flink/run-flink.sh`:
// - metric ids are `<subtask>.<metric>` (task scope) or `<subtask>.<operator>.<metric>` with the
//   operator name's spaces and ':' turned into '_' (`Source: src[1]` → `Source__src[1]`);
// - a chained `Source -> Sink` vertex reports 0 in its vertex block (`read-records`,
//   `write-records`, bytes) and in every task-scope counter and rate; only the operator-scope
//   names carry the records (`0.Source__src[1].numRecordsOutPerSecond` = 50.0 at 50 rows/s);
// - unchained, the source vertex's `write-records` and `<i>.numRecordsOutPerSecond` carry them;
//   a SinkV2 writer (`snk[4]: Writer`) has `numRecordsIn`, `numRecordsSend`, `numBytesSend` and no
//   operator-scope `numRecordsOut`;
// - per-subtask values split the job's rate (25.0 + 25.0 at parallelism 2); byte counters move
//   in 32 KiB network buffers. Mirrors ../../client/metrics.ts.

const BUFFER = 32 * 1024;

function vertexId(inst: FakeJobInstance, n: number): string {
  return `${inst.jid.slice(0, 16)}${String(n).padStart(16, '0')}`;
}

/** Flink's metric scope name of an operator: spaces and ':' become '_'. */
function scope(operator: string): string {
  return operator.replace(/[ :]/g, '_');
}

/** The records of subtask `i` when `total` are spread over `p` subtasks. */
function share(total: number, p: number, i: number): number {
  const base = Math.floor(total / p);
  return i < total - base * p ? base + 1 : base;
}

function buffered(records: number): number {
  return Math.floor((records * 48) / BUFFER) * BUFFER;
}

interface FakeVertex {
  readonly id: string;
  readonly name: string;
  readonly block: Record<string, number>;
  readonly inputs: readonly string[];
  /** Metric id → value, for every subtask. */
  readonly metrics: ReadonlyMap<string, number | null>;
}

function graph(inst: FakeJobInstance): FakeVertex[] {
  const p = inst.parallelism;
  const source = 'Source: source_t[1]';
  const rateOf = (_subtask: number): number | null => (inst.rate === null ? null : inst.rate / p);
  const sub = (build: (i: number, m: Map<string, number | null>) => void) => {
    const m = new Map<string, number | null>();
    for (let i = 0; i < p; i++) build(i, m);
    return m;
  };
  const zeroBlock = { 'read-bytes': 0, 'read-records': 0, 'write-bytes': 0, 'write-records': 0 };
  if (inst.graph === 'chained') {
    const sink = 'Sink: sink_t[2]';
    return [
      {
        id: vertexId(inst, 1),
        name: `${source} -> ${sink}`,
        block: zeroBlock,
        inputs: [],
        metrics: sub((i, m) => {
          const n = share(inst.records, p, i);
          for (const k of ['numRecordsIn', 'numRecordsOut'] as const) {
            m.set(`${i}.${k}`, 0);
            m.set(`${i}.${k}PerSecond`, 0);
          }
          m.set(`${i}.${scope(source)}.numRecordsIn`, 0);
          m.set(`${i}.${scope(source)}.numRecordsInPerSecond`, 0);
          m.set(`${i}.${scope(source)}.numRecordsOut`, n);
          m.set(`${i}.${scope(source)}.numRecordsOutPerSecond`, rateOf(i));
          m.set(`${i}.${scope(sink)}.numRecordsIn`, n);
          m.set(`${i}.${scope(sink)}.numRecordsInPerSecond`, rateOf(i));
          m.set(`${i}.${scope(sink)}.numRecordsOut`, 0);
          m.set(`${i}.${scope(sink)}.numRecordsOutPerSecond`, 0);
        }),
      },
    ];
  }
  const writer = 'sink_t[2]: Writer';
  return [
    {
      id: vertexId(inst, 1),
      name: source,
      block: { ...zeroBlock, 'write-bytes': buffered(inst.records), 'write-records': inst.records },
      inputs: [],
      metrics: sub((i, m) => {
        const n = share(inst.records, p, i);
        m.set(`${i}.numRecordsIn`, 0);
        m.set(`${i}.numRecordsInPerSecond`, 0);
        m.set(`${i}.numRecordsOut`, n);
        m.set(`${i}.numRecordsOutPerSecond`, rateOf(i));
        m.set(`${i}.${scope(source)}.numRecordsIn`, 0);
        m.set(`${i}.${scope(source)}.numRecordsInPerSecond`, 0);
        m.set(`${i}.${scope(source)}.numRecordsOut`, n);
        m.set(`${i}.${scope(source)}.numRecordsOutPerSecond`, rateOf(i));
      }),
    },
    {
      id: vertexId(inst, 2),
      name: writer,
      block: { ...zeroBlock, 'read-bytes': buffered(inst.records), 'read-records': inst.records },
      inputs: [vertexId(inst, 1)],
      metrics: sub((i, m) => {
        const n = share(inst.records, p, i);
        m.set(`${i}.numRecordsIn`, n);
        m.set(`${i}.numRecordsInPerSecond`, rateOf(i));
        m.set(`${i}.numRecordsOut`, 0);
        m.set(`${i}.numRecordsOutPerSecond`, 0);
        m.set(`${i}.${scope(writer)}.numRecordsIn`, n);
        m.set(`${i}.${scope(writer)}.numRecordsInPerSecond`, rateOf(i));
        m.set(`${i}.${scope(writer)}.numRecordsOutPerSecond`, 0);
        m.set(`${i}.${scope(writer)}.numRecordsSend`, n);
        m.set(`${i}.${scope(writer)}.numBytesSend`, buffered(n));
        m.set(`${i}.${scope(writer)}.numRecordsSendErrors`, 0);
      }),
    },
  ];
}

/** The `vertices` and `plan` of the instance's Flink job, as `GET /jobs/{id}` answers them. */
export function jobGraphJson(inst: FakeJobInstance): { vertices: unknown[]; plan: unknown } {
  const vs = graph(inst);
  return {
    vertices: vs.map((v) => ({
      id: v.id,
      name: v.name,
      parallelism: inst.parallelism,
      status: inst.status,
      metrics: v.block,
    })),
    plan: {
      jid: inst.jid,
      name: 'insert-into_default_catalog.default_database.sink_t',
      type: 'STREAMING',
      nodes: [...vs].reverse().map((v) => ({
        id: v.id,
        parallelism: inst.parallelism,
        operator: '',
        operator_strategy: '',
        description: v.name,
        ...(v.inputs.length === 0
          ? {}
          : {
              inputs: v.inputs.map((id, num) => ({
                num,
                id,
                ship_strategy: 'FORWARD',
                exchange: 'pipelined_bounded',
              })),
            }),
      })),
    },
  };
}

/** The metric routes Dinky proxies to Flink (1.x, login). */
export function registerMetricRoutes(s: FakeState): void {
  if (s.legacy) return;
  const vertexOf = (req: { query: Readonly<Record<string, string>> }): FakeVertex | undefined => {
    const jid = needParam(req.query['jobId'], 'jobId');
    const vid = needParam(req.query['verticeId'], 'verticeId');
    needParam(req.query['address'], 'address');
    const inst = [...s.instances.values()].find((i) => i.jid === jid);
    return inst ? graph(inst).find((v) => v.id === vid) : undefined;
  };
  // `…/vertices/{vid}/metrics`: the list of metric ids, `[{id}]`; a metric without a value yet is
  // not listed.
  s.route('GET', '/api/jobInstance/getJobMetricsItems', (req) => {
    const v = vertexOf(req);
    const items = v ? [...v.metrics].filter(([, val]) => val !== null).map(([id]) => ({ id })) : [];
    return s.ok(items, MSG.query);
  });
  // `…/vertices/{vid}/metrics?get=a,b`: `[{id, value}]` with the value as a string; unknown names
  // are left out (Flink answers `[]` for `?get=numRecordsOutPerSecond` without a subtask prefix).
  s.route('GET', '/api/jobInstance/getJobMetricsData', (req) => {
    const v = vertexOf(req);
    const wanted = needParam(req.query['metrics'], 'metrics')
      .split(',')
      .filter((m) => m !== '');
    const out: { id: string; value: string }[] = [];
    for (const id of wanted) {
      const val = v?.metrics.get(id);
      if (val !== undefined && val !== null) {
        out.push({
          id,
          value: id.endsWith('PerSecond') ? val.toFixed(2).replace(/0$/, '') : String(val),
        });
      }
    }
    return s.ok(out, MSG.query);
  });
}
