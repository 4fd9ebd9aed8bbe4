// Does analysis work block the API? p99 of GET /conversations at idle, and again while 10 key-point
// analyses of a ~20,000-word meeting run at once (the local engine runs in a worker-thread pool).
// Target: loaded p99 <= 3x idle p99. Also prints the key-point latency of that meeting.
//   npx tsx bench/event-loop.ts        (BENCH_SECONDS, default 6; BENCH_DATABASE_URL for PostgreSQL)
import { existsSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { startChild, stopChild } from '../scripts/bench-env.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);

function meetingSegments(): { speaker: string; text: string }[] {
  const file = new URL('../../shared/data/qmsum.dev.json', import.meta.url);
  const out: { speaker: string; text: string }[] = [];
  let words = 0;
  if (existsSync(file)) {
    const items = JSON.parse(readFileSync(file, 'utf8')) as { segments: { speaker: string; text: string }[] }[];
    for (const m of items) for (const s of m.segments) if (words < 20_000) (out.push(s), (words += s.text.split(/\s+/).length));
  }
  for (let i = 0; words < 20_000; i++) {
    const text = `Item ${i}: I'll send the revised budget to finance by Friday, and we agreed to move the launch review to next Tuesday.`;
    out.push({ speaker: ['Alice', 'Bob', 'Sarah'][i % 3], text });
    words += text.split(/\s+/).length;
  }
  return out;
}

const { child, info } = await startChild(['bench/targets.ts', 'colloquy'], { DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '' });
// If this script fails part-way, the server still gets SIGTERM (it then stops and removes its temporary folder).
process.once('exit', () => child.kill('SIGTERM'));
const auth = { authorization: `Bearer ${info.key}`, 'content-type': 'application/json' };
const api = (path: string, body?: unknown) =>
  fetch(`${info.url}/api/v1${path}`, { method: body ? 'POST' : 'GET', headers: auth, body: body ? JSON.stringify(body) : undefined }).then(async (r) => {
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<any>;
  });

const created = await api('/conversations', { title: '20k-word meeting', segments: meetingSegments() });
const id = created.data.id;
// Warm the pool: every worker thread loads its NLP model once.
await Promise.all(Array.from({ length: 4 }, () => api(`/conversations/${id}/keypoints`, { forceRefresh: true })));

const t0 = performance.now();
await api(`/conversations/${id}/keypoints`, { forceRefresh: true });
const single = performance.now() - t0;

const load = () => autocannon({ url: `${info.url}/api/v1/conversations`, connections: 4, duration: SECONDS, headers: { authorization: auth.authorization } });
const idle = await load();

let analyses = 0;
let running = true;
const analysts = Array.from({ length: 10 }, async () => {
  while (running) {
    await api(`/conversations/${id}/keypoints`, { forceRefresh: true });
    analyses++;
  }
});
const busy = await load();
running = false;
await Promise.all(analysts);
await stopChild(child);

console.log(`\nkey points for a ${meetingSegments().reduce((a, s) => a + s.text.split(/\s+/).length, 0)}-word meeting through the API: ${single.toFixed(0)} ms`);
console.log(`database: ${process.env.BENCH_DATABASE_URL ? 'postgres' : 'pglite'}`);
console.log(`GET /conversations, 4 connections, ${SECONDS}s each run`);
console.log(`  idle:                      p50 ${idle.latency.p50} ms  p99 ${idle.latency.p99} ms  ${idle.requests.average.toFixed(0)} req/s`);
console.log(`  10 concurrent analyses:    p50 ${busy.latency.p50} ms  p99 ${busy.latency.p99} ms  ${busy.requests.average.toFixed(0)} req/s  (${analyses} analyses done)`);
console.log(`  p99 ratio loaded/idle: ${(busy.latency.p99 / Math.max(idle.latency.p99, 1)).toFixed(2)}  (target <= 3)`);
process.exit(0);
