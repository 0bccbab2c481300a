import autocannon from 'autocannon';

/**
 * Load generator run as its own process (so it does not share the measured process's event
 * loop): `node dist/test/bench/load.js '<json>'` with { url, connections, seconds, method?,
 * headers?, body?, paths? } — `paths` are requested in turn. Prints autocannon's summary as JSON.
 */
interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  paths?: string[];
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
let next = 0;
const result = (await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  method: spec.method ?? 'GET',
  headers: spec.headers ?? {},
  body: spec.body,
  requests: spec.paths
    ? [
        {
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            path: spec.paths![next++ % spec.paths!.length],
          }),
        },
      ]
    : undefined,
})) as {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
};
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: Math.round(result.requests.average),
    requests: result.requests.total,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }),
);
