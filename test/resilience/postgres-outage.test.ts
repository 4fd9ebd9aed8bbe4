// PostgreSQL goes away while background jobs and requests are in flight, then comes back: the server
// process stays up, answers 503 with Retry-After meanwhile, and finishes every job it had accepted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { api, childEnv, freePort, startServerProcess, type ServerProcess } from '../core/processes.js';
import { fixture, sleep } from '../core/support.js';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';

const unavailable = await privatePostgresUnavailable();
if (unavailable) console.log(`# PostgreSQL outage test skipped: ${unavailable}`);

/** `api` with the request named in the error, so a hang or a refused connection says where it happened. */
async function call(url: string, key: string | null, path: string, init: { method?: string; body?: unknown } = {}) {
  try {
    return await api(url, key, path, init);
  } catch (err) {
    throw new Error(`${init.method ?? 'GET'} ${path} failed: ${String(err)} ${String((err as Error).cause ?? '')}`);
  }
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

describe('a PostgreSQL outage during background jobs', { skip: unavailable ?? false }, () => {
  let cluster: PrivatePostgres;
  let server: ServerProcess;
  let dataDir: string;
  let exitedEarly: number | null | undefined;
  let key: string;

  before(async () => {
    cluster = await startPrivatePostgres();
    dataDir = mkdtempSync(join(tmpdir(), 'colloquy-outage-'));
    const port = await freePort();
    server = await startServerProcess(childEnv(dataDir, port, { DATABASE_URL: cluster.url, COLLOQUY_ENGINE_THREADS: '1', COLLOQUY_DEMO_USER: 'true' }));
    void server.exited.then((code) => (exitedEarly = code));
    key = /API key: (convo_\S+)/.exec(server.stdout())![1];
  });
  after(async () => {
    await server?.stop();
    await cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the process stays up, answers 503 + Retry-After and /readyz 503, and completes the queued jobs once PostgreSQL is back', async () => {
    // A session of the test's own holds locks that the jobs need, so they are surely mid-flight
    // (holding pooled connections, inside transactions) when the server goes down.
    const blocker = new pg.Client({ connectionString: cluster.url });
    blocker.on('error', () => {});
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('lock table analyses in access exclusive mode');

    const chats: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await call(server.url, key, '/api/v1/conversations', {
        method: 'POST',
        body: { status: 'completed', content: `User: My order ${i} has not arrived yet.\nAssistant: I am sorry, let me check order ${i} for you.\nUser: Thanks, that worked.` },
      });
      assert.equal(r.status, 200, r.text);
      chats.push(r.body.data.id);
    }
    await blocker.query('lock table segments in access exclusive mode');
    const form = new FormData();
    form.append('file', new Blob([fixture('zoom-roadmap.vtt')]), 'roadmap.vtt');
    const imported = await fetch(`${server.url}/api/v1/conversations/import?async=true`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    assert.equal(imported.status, 202);
    const importId = ((await imported.json()) as { data: { id: string } }).data.id;

    // A request in flight too: it waits on the same lock.
    const pendingRead = call(server.url, key, `/api/v1/conversations/${chats[0]}/insights`);
    await until('the jobs and the request to wait on the locks', async () => {
      // Inside a transaction pg_stat_activity is a snapshot taken at its first read: clear it.
      await blocker.query('select pg_stat_clear_snapshot()');
      const r = await blocker.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where state = 'active' and wait_event_type = 'Lock' and pid <> pg_backend_pid()");
      return r.rows[0].n >= 3;
    });

    await cluster.stop();
    const inFlight = await pendingRead;
    assert.equal(inFlight.status, 503, inFlight.text);
    assert.equal(inFlight.body.error.code, 'service_unavailable');

    // Several poll intervals of the job workers pass with the database down.
    for (let i = 0; i < 6; i++) {
      const list = await call(server.url, key, '/api/v1/conversations');
      assert.equal(list.status, 503, list.text);
      assert.deepEqual(Object.keys(list.body.error).sort(), ['code', 'message']);
      assert.equal(list.body.error.code, 'service_unavailable');
      assert.match(list.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      const create = await call(server.url, key, '/api/v1/conversations', { method: 'POST', body: { content: 'User: hi\nAssistant: hello' } });
      assert.equal(create.status, 503);
      const ready = await call(server.url, null, '/readyz');
      assert.equal(ready.status, 503);
      assert.equal(ready.body.database, 'unreachable');
      assert.match(ready.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.equal((await call(server.url, null, '/healthz')).status, 200, 'liveness is not readiness');
      assert.equal(exitedEarly, undefined, `the server exited during the outage\n${server.stderr()}`);
      await sleep(700);
    }

    await cluster.start();
    await until('/readyz to recover', async () => (await call(server.url, null, '/readyz')).status === 200);
    const list = await call(server.url, key, '/api/v1/conversations?limit=100');
    assert.equal(list.status, 200, list.text);

    // Every job accepted before the outage finishes: the import and all ten insights.
    const done = await until('the import to complete', async () => {
      const r = await call(server.url, key, `/api/v1/conversations/${importId}`);
      return r.body.data?.status === 'completed' ? r.body.data : null;
    });
    assert.ok(done.segmentCount > 10);
    for (const id of chats) {
      const insights = await until(`insights of ${id}`, async () => {
        const r = await call(server.url, key, `/api/v1/conversations/${id}/insights`);
        return r.status === 200 ? r.body.data : null;
      });
      assert.equal(typeof insights.summary, 'string');
    }
    assert.equal(exitedEarly, undefined, `the server exited\n${server.stderr()}`);
  });
});
