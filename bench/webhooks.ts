// npx tsx bench/webhooks.ts — webhook delivery latency and throughput under concurrent writes.
//
// A server child process (inline worker, as in the default deployment) on PGlite, and on
// PostgreSQL when DATABASE_URL (or BENCH_DATABASE_URL) is set: a temporary database is created on
// that server and dropped afterwards. This process creates conversations with several connections
// and runs the receiver on 127.0.0.1. Latency is measured from the moment the create's API
// response arrives to the moment its conversation.created event arrives (matched by
// conversationId), so nothing is added to the payload. Not part of CI; prints figures only.
//
// Each database gets "burst" rows (BENCH_CONCURRENCY writers as fast as the server answers, one
// row per webhook count) and a "paced" row (BENCH_RATE creates per second, below capacity), which
// shows the latency of an unloaded queue rather than of a backlog.
//
//   BENCH_CONVERSATIONS (500)  BENCH_CONCURRENCY (16)  BENCH_WEBHOOKS ("1,3")  BENCH_RATE (20)
//   BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { measuringEnv, removeMeasuringEnv, startChild, stopChild, temporaryDatabase } from '../scripts/bench-env.js';

const N = Number(process.env.BENCH_CONVERSATIONS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const HOOK_COUNTS = (process.env.BENCH_WEBHOOKS ?? '1,3').split(',').map(Number);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const PACED = Math.min(N, RATE * 10);
const WARMUP = 50;

interface ServerInfo {
  url: string;
  keys: string[];
}

/** Child mode: the real server with an inline worker, plus one enterprise user per scenario. */
async function serve(): Promise<void> {
  const { loadConfig } = await import('../src/config.js');
  const { startServer } = await import('../src/server.js');
  const env = measuringEnv('colloquy-whbench');
  const config = loadConfig({
    ...process.env,
    ...env,
    HOST: '127.0.0.1',
    COLLOQUY_WEBHOOKS_ALLOW_PRIVATE: 'true',
    COLLOQUY_WORKER: 'inline',
    DATABASE_POOL_SIZE: '20',
  });
  const server = await startServer(config, { print: () => {} });
  const keys: string[] = [];
  for (let i = 0; i <= HOOK_COUNTS.length; i++) {
    const user = await server.container.accounts.createUser({ email: `whbench-${i}-${Date.now()}@example.com`, name: 'Bench', tier: 'enterprise' });
    keys.push((await server.container.accounts.createKey(user.id, 'bench')).key);
  }
  process.stdout.write(JSON.stringify({ url: server.url, keys } satisfies ServerInfo) + '\n');
  const stop = async () => {
    await server.stop();
    removeMeasuringEnv(env);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
}

interface Receipt {
  path: string;
  conversationId: string;
  at: number;
}

async function startReceiver() {
  const receipts: Receipt[] = [];
  let onReceipt: () => void = () => {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(200).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event: string; data: { conversationId?: string } };
      if (body.event === 'conversation.created' && body.data.conversationId) {
        receipts.push({ path: req.url ?? '/', conversationId: body.data.conversationId, at });
        onReceipt();
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    receipts,
    waitFor(count: number, timeoutMs: number): Promise<boolean> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        onReceipt = () => {
          if (receipts.length >= count) {
            clearTimeout(timer);
            resolve(true);
          }
        };
        onReceipt();
      });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

async function api(base: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as any;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/**
 * Creates `count` conversations with CONCURRENCY connections, as fast as they are answered or,
 * with `ratePerSec`, on a fixed schedule; returns response times by conversation id.
 */
async function createMany(base: string, key: string, count: number, label: string, ratePerSec?: number) {
  const responded = new Map<string, number>();
  const latencies: number[] = [];
  let next = 0;
  const first = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        if (ratePerSec) {
          const wait = first + (i * 1000) / ratePerSec - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        const sent = performance.now();
        const data = await api(base, key, 'POST', '/api/v1/conversations', { title: `${label} ${i}`, content: `Alice: item ${i} is ready\nBob: thanks, shipping it` });
        const at = performance.now();
        responded.set(data.id, at);
        latencies.push(at - sent);
      }
    }),
  );
  return { responded, latencies, first, last: performance.now() };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const ms = (v: number) => `${v.toFixed(1)} ms`;

interface Row {
  database: string;
  load: string;
  hooks: number;
  createP50: number;
  createsPerSec: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  early: number;
  deliveriesPerSec: number;
  missing: number;
}

async function scenario(
  database: string,
  base: string,
  key: string,
  hooks: number,
  receiver: Awaited<ReturnType<typeof startReceiver>>,
  ratePerSec?: number,
): Promise<Row> {
  const load = ratePerSec ? `${ratePerSec}/s` : 'burst';
  const count = ratePerSec ? PACED : N;
  const paths = Array.from({ length: hooks }, (_, i) => `/${database}/${load}/${hooks}/h${i}`);
  for (const p of paths) await api(base, key, 'POST', '/api/v1/webhooks', { url: receiver.base + p, events: ['conversation.created'] });
  const before = receiver.receipts.length;
  const run = await createMany(base, key, count, `${database}-${load}-${hooks}`, ratePerSec);
  const expected = before + count * hooks;
  await receiver.waitFor(expected, 120_000);
  const mine = receiver.receipts.slice(before).filter((r) => paths.includes(r.path));
  const lat = mine.map((r) => r.at - (run.responded.get(r.conversationId) ?? Number.NaN)).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const lastReceipt = Math.max(...mine.map((r) => r.at));
  const createSorted = [...run.latencies].sort((a, b) => a - b);
  return {
    database,
    load,
    hooks,
    createP50: pct(createSorted, 50),
    createsPerSec: (count / (run.last - run.first)) * 1000,
    p50: pct(lat, 50),
    p90: pct(lat, 90),
    p99: pct(lat, 99),
    max: lat[lat.length - 1],
    early: lat.filter((v) => v < 0).length,
    deliveriesPerSec: (mine.length / (lastReceipt - run.first)) * 1000,
    missing: count * hooks - new Set(mine.map((r) => `${r.path} ${r.conversationId}`)).size,
  };
}

async function benchDatabase(database: string, env: Record<string, string | undefined>): Promise<Row[]> {
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { child, info } = await startChild<ServerInfo>([fileURLToPath(import.meta.url), 'serve'], env, nodeArgs);
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  const rows: Row[] = [];
  try {
    receiver = await startReceiver();
    // Warm the server (JIT, pools, the worker's first claims) before measuring.
    await createMany(info.url, info.keys[0], WARMUP, 'warm-up');
    for (const [i, hooks] of HOOK_COUNTS.entries()) rows.push(await scenario(database, info.url, info.keys[i], hooks, receiver));
    const most = Math.max(...HOOK_COUNTS);
    rows.push(await scenario(database, info.url, info.keys[HOOK_COUNTS.length], most, receiver, RATE));
  } finally {
    await receiver?.stop();
    await stopChild(child, 15_000);
  }
  return rows;
}

async function temporaryPostgres(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  return base ? temporaryDatabase(base, 'colloquy_whbench') : null;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  rows.push(...(await benchDatabase('pglite', { DATABASE_URL: '' })));
  const pgdb = await temporaryPostgres();
  if (pgdb) {
    try {
      rows.push(...(await benchDatabase('postgres', { DATABASE_URL: pgdb.url })));
    } finally {
      await pgdb.drop();
    }
  } else {
    console.log('DATABASE_URL not set: PostgreSQL rows skipped');
  }

  console.log(`\nWebhook delivery, node ${process.version}: burst = ${N} creates from ${CONCURRENCY} concurrent writers; ${RATE}/s = ${PACED} creates paced`);
  console.log('latency = event received - create response received (negative: the event beat the response)');
  console.log('database  load    hooks  create p50   creates/s   delivery p50   p90        p99        max        deliveries/s  p50/create p50  early  missing');
  for (const r of rows) {
    console.log(
      [
        r.database.padEnd(9),
        r.load.padEnd(6),
        String(r.hooks).padStart(5),
        ms(r.createP50).padStart(11),
        r.createsPerSec.toFixed(0).padStart(11),
        ms(r.p50).padStart(14),
        ms(r.p90).padStart(10),
        ms(r.p99).padStart(10),
        ms(r.max).padStart(10),
        r.deliveriesPerSec.toFixed(0).padStart(13),
        (r.p50 / r.createP50).toFixed(2).padStart(15),
        String(r.early).padStart(6),
        String(r.missing).padStart(8),
      ].join('  '),
    );
  }
}

if (process.argv[2] === 'serve') await serve();
else await main();
