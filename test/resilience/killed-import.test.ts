// kill -9 while an asynchronous import is running: after a restart the import finishes within
// seconds, not when its job expires (300 s), and a job held by a live worker is left alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { api, childEnv, freePort, startServerProcess, type ServerProcess } from '../core/processes.js';
import { fixture, sleep } from '../core/support.js';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { jobCatalog } from '../../src/jobs/catalog.js';

const unavailable = await privatePostgresUnavailable();
if (unavailable) console.log(`# killed-import test skipped: ${unavailable}`);

describe('an asynchronous import whose server was killed', { skip: unavailable ?? false }, () => {
  let cluster: PrivatePostgres;
  let dataDir: string;
  const servers: ServerProcess[] = [];

  before(async () => {
    cluster = await startPrivatePostgres();
    dataDir = mkdtempSync(join(tmpdir(), 'colloquy-killed-'));
  });
  after(async () => {
    for (const s of servers) await s.stop();
    await cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(extra: Record<string, string> = {}) {
    const s = await startServerProcess(childEnv(dataDir, await freePort(), { DATABASE_URL: cluster.url, COLLOQUY_ENGINE_THREADS: '1', ...extra }));
    servers.push(s);
    return s;
  }

  async function waitingJobs(client: pg.Client): Promise<number> {
    await client.query('select pg_stat_clear_snapshot()');
    const r = await client.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where state = 'active' and wait_event_type = 'Lock'");
    return r.rows[0].n;
  }

  test('the restarted server runs it again at once; a second, live server does not take it over', async () => {
    const first = await start({ COLLOQUY_DEMO_USER: 'true' });
    const key = /API key: (convo_\S+)/.exec(first.stdout())![1];

    // The test holds a lock the import's write needs, so the job is surely mid-run when the server dies.
    const blocker = new pg.Client({ connectionString: cluster.url });
    blocker.on('error', () => {});
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('lock table segments in access exclusive mode');
    const form = new FormData();
    form.append('file', new Blob([fixture('zoom-roadmap.vtt')]), 'roadmap.vtt');
    const res = await fetch(`${first.url}/api/v1/conversations/import?async=true`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    assert.equal(res.status, 202);
    const id = ((await res.json()) as { data: { id: string } }).data.id;
    for (let i = 0; (await waitingJobs(blocker)) < 1; i++) {
      assert.ok(i < 400, 'the import job never reached its write');
      await sleep(100);
    }

    // A second server on the same database starts while the first one is alive: the job is not its
    // to take (taken again, it would be started anew and its retry count would grow).
    const job = async () =>
      (await blocker.query("select state, started_on::text as started, retry_count from pgboss.job where name = 'transcript.import'")).rows;
    const held = await job();
    assert.equal(held.length, 1);
    assert.equal(held[0].state, 'active');
    const second = await start({ COLLOQUY_DEMO_USER: 'false' });
    await sleep(1500);
    assert.deepEqual(await job(), held);
    await second.stop();

    first.child.kill('SIGKILL');
    await first.exited;
    await blocker.query('commit');
    await blocker.end();

    // Restart. The job's expiry (300 s) is far away; the restarted worker must not wait for it.
    const expiry = jobCatalog['transcript.import'].expireInSeconds * 1000;
    const restarted = await start({ COLLOQUY_DEMO_USER: 'false' });
    const began = Date.now();
    let conv: any = null;
    while (Date.now() - began < expiry / 5) {
      conv = (await api(restarted.url, key, `/api/v1/conversations/${id}`)).body.data;
      if (conv?.status === 'completed') break;
      await sleep(250);
    }
    assert.equal(conv?.status, 'completed', `still ${conv?.status} ${Math.round((Date.now() - began) / 1000)} s after the restart`);
    assert.ok(conv.segmentCount > 10);
  });
});
