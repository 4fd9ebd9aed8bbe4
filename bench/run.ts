// npm run bench — HTTP throughput of Colloquy beside a bare Fastify server returning the same bytes
// from memory, in the same run, on PGlite and (when DATABASE_URL or BENCH_DATABASE_URL is set, or the
// local PostgreSQL answers) on PostgreSQL. Prints ratios; never used as a pass/fail gate.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startChild, stopChild, temporaryDatabase } from '../scripts/bench-env.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
// Both servers get the same unmeasured warm-up first (JIT, connection pools, caches): the figures are steady state.
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);

interface Load {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  connections: number;
  headers?: Record<string, string>;
  body?: string;
  /** Paths to rotate through (appends spread over several conversations). */
  paths?: string[];
  messagesPerRequest?: number;
}

async function fire(base: string, load: Load): Promise<{ rps: number; p99: number; errors: number }> {
  if (WARMUP > 0) await run(base, load, WARMUP);
  return run(base, load, DURATION);
}

async function run(base: string, load: Load, duration: number): Promise<{ rps: number; p99: number; errors: number }> {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections: load.connections,
    duration,
    requests: [
      {
        method: load.method,
        path: load.path,
        headers: load.headers,
        body: load.body,
        ...(load.paths ? { setupRequest: (req: any) => ({ ...req, path: load.paths![i++ % load.paths!.length] }) } : {}),
      },
    ],
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function captureBytes(base: string, key: string, method: string, path: string, body?: string) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json', prefer: 'return=minimal' } : {}) },
    body,
  });
  return { method, body: await res.text(), headers: { 'content-type': 'application/json; charset=utf-8' } };
}

async function benchDatabase(label: string, env: Record<string, string | undefined>) {
  const { child: colloquy, info } = await startChild(['bench/targets.ts', 'colloquy'], env);
  let bare: ChildProcess | undefined;
  let routesDir: string | undefined;
  try {
    const auth = { authorization: `Bearer ${info.key}` };
    const appendBody = JSON.stringify({ messages: [{ role: 'user', content: 'Where is my order? It was due yesterday.' }] });
    // A chat logger usually appends a whole turn: the user's message and the assistant's reply.
    const turnBody = JSON.stringify({
      messages: [
        { role: 'user', content: 'Where is my order? It was due yesterday.' },
        { role: 'assistant', content: 'It left the warehouse this morning and should arrive tomorrow.' },
      ],
    });
    const appendPaths = (info.chats as string[]).map((id) => `/api/v1/conversations/${id}/messages`);
    const loads: Load[] = [
      { name: 'GET transcript (600 segments)', method: 'GET', path: `/api/v1/conversations/${info.meetingId}/transcript`, connections: 16, headers: auth },
      { name: 'GET /conversations', method: 'GET', path: '/api/v1/conversations', connections: 16, headers: auth },
      {
        name: 'POST messages (1 msg, 32 conns)',
        method: 'POST',
        path: appendPaths[0],
        paths: appendPaths,
        connections: 32,
        headers: { ...auth, 'content-type': 'application/json', prefer: 'return=minimal' },
        body: appendBody,
      },
      {
        name: 'POST messages (2-msg turn, 32 conns)',
        method: 'POST',
        path: appendPaths[0],
        paths: appendPaths,
        connections: 32,
        headers: { ...auth, 'content-type': 'application/json', prefer: 'return=minimal' },
        body: turnBody,
        messagesPerRequest: 2,
      },
    ];
    const routes: Record<string, unknown> = {};
    for (const l of loads) routes[l.paths ? '/api/v1/conversations/:id/messages' : l.path] ??= await captureBytes(info.url, info.key, l.method, l.path, l.body);
    routesDir = mkdtempSync(join(tmpdir(), 'colloquy-bare-'));
    const file = join(routesDir, 'routes.json');
    writeFileSync(file, JSON.stringify(routes));
    const started = await startChild(['bench/targets.ts', 'bare', file], {});
    bare = started.child;
    const rows = [];
    for (const l of loads) {
      const b = await fire(started.info.url, l);
      const c = await fire(info.url, l);
      rows.push({ label, load: l.name, bare: b, colloquy: c, ratio: c.rps / b.rps, messages: l.messagesPerRequest ? c.rps * l.messagesPerRequest : l.paths ? c.rps : null });
    }
    return rows;
  } finally {
    if (bare) await stopChild(bare);
    await stopChild(colloquy);
    if (routesDir) rmSync(routesDir, { recursive: true, force: true });
  }
}

/** A temporary database on the PostgreSQL server, or null when it is not reachable. */
async function temporaryPostgres() {
  const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  try {
    return await temporaryDatabase(base, 'colloquy_bench');
  } catch {
    return null;
  }
}

// BENCH_DATABASES=postgres (or pglite) measures one database only; both by default.
const which = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',').map((s) => s.trim());
const all = [];
if (which.includes('pglite')) all.push(...(await benchDatabase('pglite', { DATABASE_URL: '' })));
if (which.includes('postgres')) {
  const pgdb = await temporaryPostgres();
  if (pgdb) {
    try {
      all.push(...(await benchDatabase('postgres', { DATABASE_URL: pgdb.url })));
    } finally {
      await pgdb.drop();
    }
  } else console.log('PostgreSQL not reachable; PostgreSQL rows skipped');
}

console.log(`\nColloquy vs bare Fastify (same bytes from memory), ${DURATION}s per run, node ${process.version}`);
console.log('database  load                                   bare req/s   colloquy req/s   ratio   colloquy p99 ms  errors  messages/s');
for (const r of all) {
  console.log(
    `${r.label.padEnd(9)} ${r.load.padEnd(38)} ${r.bare.rps.toFixed(0).padStart(10)}   ${r.colloquy.rps.toFixed(0).padStart(14)}   ${r.ratio.toFixed(2).padStart(5)}   ${String(r.colloquy.p99).padStart(15)}  ${String(r.colloquy.errors).padStart(6)}  ${r.messages === null ? '' : r.messages.toFixed(0).padStart(10)}`,
  );
}
console.log('Targets on PostgreSQL: transcript ratio >= 0.35; appends >= 1500 messages/s with 32 connections.');
