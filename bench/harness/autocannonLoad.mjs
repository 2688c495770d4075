// The load generator when wrk is not installed: autocannon in a process of its own, posting the
// callbacks of the file (one "path<TAB>body" a line) in turn across all connections, as the wrk
// script does; also the load at a steady rate, which wrk cannot hold.
// Usage: node autocannonLoad.mjs URL FILE SUFFIX CONNECTIONS SECONDS [REQUESTS PER SECOND]
// Prints one JSON line of the same figures as bench/harness/callbacks.lua; latencies in µs.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, file, suffix, connections, seconds, rate] = process.argv.slice(2);
const callbacks = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const tab = line.indexOf('\t');
    return { path: line.slice(0, tab) + suffix, body: line.slice(tab + 1) };
  });
let next = 0;

const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  ...(rate ? { overallRate: Number(rate) } : {}),
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      // One shared cursor: each connection takes the next callback, so none is sent twice in a cycle.
      setupRequest: (request) => ({ ...request, ...callbacks[next++ % callbacks.length] }),
    },
  ],
});
const us = (ms) => Math.round(ms * 1000);
console.log(
  JSON.stringify({
    requests: result.requests.total,
    durationUs: us(result.duration * 1000),
    connectErrors: result.errors - result.timeouts,
    readErrors: 0,
    writeErrors: 0,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    p50Us: us(result.latency.p50),
    p99Us: us(result.latency.p99),
    maxUs: us(result.latency.max),
  }),
);
