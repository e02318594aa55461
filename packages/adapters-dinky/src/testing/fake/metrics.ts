import { type FakeState, MSG, needParam } from './state';
import type { FakeJobInstance } from './types';

// Flink's job graph and metrics as Dinky proxies them: the vertices of `GET /jobs/{id}` inside
// `JobInfoDetail.jobDataDto.job`, and `GET /api/jobInstance/getJobMetricsData`
// (`JobInstanceController` → `dinky-core/.../api/FlinkAPI.getJobMetricsData`).
// Mirrors ../../client/metrics.ts.

/** The vertices of the instance's Flink job, as `GET /jobs/{id}` lists them. */
export function vertices(inst: FakeJobInstance): unknown[] {
  return [
    {
      id: `${inst.jid.slice(0, 16)}0001`,
      name: 'Source: source_t[1]',
      parallelism: inst.parallelism,
      status: inst.status,
      metrics: {
        'read-bytes': 0,
        'read-records': 0,
        'write-bytes': inst.records * 64,
        'write-records': inst.records,
      },
    },
    {
      id: `${inst.jid.slice(0, 16)}0002`,
      name: 'Sink: sink_t[2]',
      parallelism: inst.parallelism,
      status: inst.status,
      metrics: {
        'read-bytes': inst.records * 64,
        'read-records': inst.records,
        'write-bytes': 0,
        'write-records': 0,
      },
    },
  ];
}

/** `GET /api/jobInstance/getJobMetricsData?address=&jobId=&verticeId=&metrics=`. */
export function registerMetricRoutes(s: FakeState): void {
  if (s.legacy) return;
  s.route('GET', '/api/jobInstance/getJobMetricsData', (req) => {
    const jid = needParam(req.query['jobId'], 'jobId');
    const inst = [...s.instances.values()].find((i) => i.jid === jid);
    const wanted = (req.query['metrics'] ?? '').split(',').filter((m) => m !== '');
    const out: { id: string; value: string }[] = [];
    if (inst && inst.rate !== null && req.query['verticeId']?.endsWith('0001')) {
      for (const id of wanted) {
        const mm = /^(\d+)\.numRecordsOutPerSecond$/.exec(id);
        if (mm && Number(mm[1]) < inst.parallelism) out.push({ id, value: String(inst.rate) });
      }
    }
    return s.ok(out, MSG.query);
  });
}
