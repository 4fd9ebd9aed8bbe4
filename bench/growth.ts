// npm run bench:growth — how the API's latency grows with one user's data: that user gets 1k, 10k and
// 100k conversations of 50 segments (PostgreSQL; 1k and 10k on PGlite), and at each size this prints
// p50/p99 (c=1) of the list, a deep offset, a cursor page, searches for a frequent word (in 9 % of
// segments) and a rare one, open action items (first page, a cursor page, by owner, due before a
// date; 3 items per conversation), a transcript and the profile, each beside GET /healthz measured in the same
// run, then the profile's p99 while 8 frequent-word searches run at once, and the ratio of the largest
// size to 1k. Never a pass/fail gate: the machine is shared and noisy.
//   npm run bench:growth [-- --sizes 1000,10000,100000] [--only postgres|pglite] [--requests 30] [--explain]
// --explain prints PostgreSQL's plans for the list and searches at the largest size.
//   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test when it answers) for PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { listConversations, type ListFilters } from '../src/db/repos/conversations.js';
import { searchSegments } from '../src/db/repos/search.js';
import { listActionItems } from '../src/db/repos/action-items.js';
import { SEARCH_CANDIDATES } from '../src/domain/search/service.js';
import type { DB } from '../src/db/schema.js';
import { stopChild, temporaryDatabase } from '../scripts/bench-env.js';

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const REQUESTS = Number(arg('--requests') ?? 30);
const TIMEOUT_MS = 20_000;

interface Target {
  child: ChildProcess;
  lines: Interface;
  url: string;
  key: string;
  userId: string;
  conversationId: string;
}

function nextLine(lines: Interface): Promise<string> {
  return new Promise((resolve) => lines.once('line', resolve));
}

async function startTarget(databaseUrl: string): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/growth-target.ts'], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`growth target exited with ${code}`))));
  const info = JSON.parse(await Promise.race([nextLine(lines), exited])) as { url: string; key: string; userId: string; conversationId: string };
  return { child, lines, ...info };
}

async function grow(t: Target, n: number): Promise<number> {
  const t0 = performance.now();
  t.child.stdin!.write(`grow ${n}\n`);
  const line = await nextLine(t.lines);
  if (line !== `grown ${n}`) throw new Error(`unexpected answer ${line}`);
  return performance.now() - t0;
}

async function timed(t: Target, path: string): Promise<number> {
  const t0 = performance.now();
  try {
    const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${t.key}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return performance.now() - t0;
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return Infinity;
    throw err;
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x: number) => (Number.isNaN(x) ? 'n/a' : Number.isFinite(x) ? x.toFixed(1) : 'timeout');

async function series(t: Target, path: string, n = REQUESTS): Promise<{ p50: number; p99: number }> {
  // A request this version does not know (an older build, for a before/after run) prints n/a.
  if (!(await timed(t, path).then(() => true, () => false))) return { p50: NaN, p99: NaN }; // warm
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await timed(t, path));
  return { p50: pct(xs, 50), p99: pct(xs, 99) };
}

async function measure(t: Target, size: number) {
  const firstPage = async (path: string) => ((await (await fetch(t.url + path, { headers: { authorization: `Bearer ${t.key}` } })).json()) as any).pagination?.nextCursor as string | undefined;
  const cursor = await firstPage('/api/v1/conversations?limit=20');
  const itemsCursor = await firstPage('/api/v1/action-items?status=open');
  const paths: Array<[string, string]> = [
    ['healthz', '/healthz'],
    ['list', '/api/v1/conversations?limit=20'],
    ['list sort=startTime', '/api/v1/conversations?limit=20&sort=startTime'],
    ['deep offset', `/api/v1/conversations?limit=20&offset=${Math.floor(size / 2)}`],
    ['deep offset sort=startTime', `/api/v1/conversations?limit=20&sort=startTime&offset=${Math.floor(size / 2)}`],
    ['cursor page', cursor ? `/api/v1/conversations?limit=20&cursor=${cursor}` : '/api/v1/conversations?cursor=none'],
    ['search frequent', '/api/v1/conversations?limit=20&search=budget'],
    ['search rare', '/api/v1/conversations?limit=20&search=zanzibar'],
    ['GET /search frequent', '/api/v1/search?q=budget'],
    ['GET /search rare', '/api/v1/search?q=zanzibar'],
    ['action items open', '/api/v1/action-items?status=open'],
    ['action items cursor page', itemsCursor ? `/api/v1/action-items?status=open&cursor=${itemsCursor}` : '/api/v1/action-items?cursor=none'],
    ['action items owner', '/api/v1/action-items?status=open&owner=owner%203'],
    ['action items dueBefore', '/api/v1/action-items?status=open&dueBefore=2021-01-01'],
    ['transcript', `/api/v1/conversations/${t.conversationId}/transcript`],
    ['profile', '/api/v1/user/profile'],
  ];
  const out: Record<string, { p50: number; p99: number }> = {};
  for (const [name, path] of paths) out[name] = await series(t, path, name.includes('frequent') && !name.startsWith('GET') ? Math.min(REQUESTS, 10) : REQUESTS);
  // The profile while 8 frequent-word searches run at once.
  let running = true;
  const searchers = Array.from({ length: 8 }, async () => {
    while (running) await timed(t, '/api/v1/conversations?limit=20&search=budget').catch(() => {});
  });
  await new Promise((r) => setTimeout(r, 200));
  out['profile under 8 searches'] = await series(t, '/api/v1/user/profile');
  running = false;
  await Promise.all(searchers);
  return out;
}

/**
 * The plans PostgreSQL chose for the list and a search, as the API runs them: the statements are
 * captured from the repository function itself, then run again under EXPLAIN (ANALYZE, BUFFERS).
 */
async function explain(databaseUrl: string, userId: string): Promise<void> {
  const captured: CompiledQuery[] = [];
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 1 }) }),
    log: (e) => void (e.level === 'query' && captured.push(e.query)),
  });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const cases: Array<[string, Partial<ListFilters>]> = [
      ['list, first page', {}],
      ['list, offset 50,000', { offset: 50_000 }],
      ['list by start time, offset 50,000', { offset: 50_000, sort: 'startTime' }],
      ['search, frequent word', { search: 'budget' }],
      ['search, rare word', { search: 'zanzibar' }],
    ];
    const searches: Array<[string, string]> = [
      ['GET /search, frequent word', 'budget'],
      ['GET /search, rare word', 'zanzibar'],
    ];
    const runs: Array<[string, () => Promise<unknown>]> = [
      ...cases.map(([name, f]): [string, () => Promise<unknown>] => [name, () => listConversations(db, { userId, limit: 20, offset: 0, ...f })]),
      ...searches.map(([name, term]): [string, () => Promise<unknown>] => [name, () => searchSegments(db, { userId, term, limit: 20, offset: 0, candidates: SEARCH_CANDIDATES })]),
      ['GET /action-items?status=open', () => listActionItems(db, { userId, status: 'open', limit: 20 })],
      ['GET /action-items?status=open&owner=owner 3', () => listActionItems(db, { userId, status: 'open', owner: 'owner 3', limit: 20 })],
    ];
    for (const [name, run] of runs) {
      captured.length = 0;
      await run();
      for (const q of captured) {
        const plan = await client.query(`explain (analyze, buffers, costs off) ${q.sql}`, q.parameters as unknown[]);
        console.log(`\n-- ${name}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
    }
  } finally {
    await client.end();
    await db.destroy();
  }
}

async function benchDatabase(label: string, databaseUrl: string, sizes: number[]) {
  const t = await startTarget(databaseUrl);
  const results: Array<{ size: number; r: Record<string, { p50: number; p99: number }> }> = [];
  try {
    for (const size of sizes) {
      const took = await grow(t, size);
      console.log(`\n${label}: ${size.toLocaleString('en')} conversations of 50 segments (seeded in ${(took / 1000).toFixed(1)} s)`);
      const r = await measure(t, size);
      results.push({ size, r });
      console.log(`${'request'.padEnd(28)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}   p99 / healthz p99`);
      for (const [name, v] of Object.entries(r)) console.log(`${name.padEnd(28)}${ms(v.p50).padStart(10)}${ms(v.p99).padStart(10)}   ${(v.p99 / r.healthz.p99).toFixed(1)}x`);
    }
    if (results.length > 1) {
      const first = results[0];
      const last = results.at(-1)!;
      console.log(`\n${label}: p99 at ${last.size.toLocaleString('en')} / p99 at ${first.size.toLocaleString('en')}`);
      for (const name of Object.keys(last.r)) console.log(`${name.padEnd(28)}${(last.r[name].p99 / first.r[name].p99).toFixed(2).padStart(8)}x`);
    }
    if (databaseUrl && argv.includes('--explain')) await explain(databaseUrl, t.userId);
  } finally {
    t.child.stdin!.end();
    await stopChild(t.child, 30_000);
  }
}

async function postgresReachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

const only = arg('--only');
const sizesArg = arg('--sizes')?.split(',').map(Number);
if (only !== 'pglite') {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  if (await postgresReachable(base)) {
    const db = await temporaryDatabase(base, 'colloquy_growth');
    try {
      await benchDatabase('PostgreSQL', db.url, sizesArg ?? [1_000, 10_000, 100_000]);
    } finally {
      await db.drop();
    }
  } else console.log(`PostgreSQL at ${base} does not answer; skipped`);
}
if (only !== 'postgres') await benchDatabase('PGlite', '', (sizesArg ?? [1_000, 10_000]).filter((n) => n <= 10_000));
