// The local engine's worker threads cannot start when the process is out of file descriptors: the
// server must stay up, answer the analyses it cannot run with an error envelope, and recover.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { childEnv, freePort, startServerProcess, type ServerProcess } from '../core/processes.js';
import { sleep } from '../core/support.js';
import { embeddedOnly } from '../helpers/db.js';

// prlimit lowers the limit of the running server: with `ulimit -n` set before start, the limit that
// lets the server load its modules also lets a worker thread load them, so the failure would depend
// on timing. Lowered after start, with the server's connections already open, only new threads fail.
const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));
const skip = process.platform !== 'linux' ? 'needs Linux (/proc, prlimit)' : !prlimit ? 'prlimit (util-linux) is not installed' : false;
if (skip) console.log(`# EMFILE test skipped: ${skip}`);

const meeting = {
  title: 'Planning',
  segments: Array.from({ length: 12 }, (_, i) => ({ speaker: i % 2 ? 'Bob' : 'Alice', text: `Item ${i}: we agreed that Bob will send the report by Friday and Alice reviews the budget.` })),
};

describe('worker threads that cannot start for lack of file descriptors', { skip: skip || embeddedOnly }, () => {
  let server: ServerProcess;
  let dataDir: string;
  let key: string;
  let exited: number | null | undefined;
  // Connections opened before the limit is lowered: a new one could not be accepted afterwards.
  const agent = new Agent({ connections: 4, keepAliveTimeout: 120_000, keepAliveMaxTimeout: 120_000 });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'colloquy-emfile-'));
    const port = await freePort();
    // One user may use every thread here, so concurrent analyses need a general thread beyond the one running.
    server = await startServerProcess(childEnv(dataDir, port, { COLLOQUY_ENGINE_THREADS: '2', COLLOQUY_ENGINE_PER_USER: '4', COLLOQUY_DEMO_USER: 'true', LOG_LEVEL: 'warn' }));
    void server.exited.then((code) => (exited = code));
    key = /API key: (convo_\S+)/.exec(server.stdout())![1];
  });
  after(async () => {
    await agent.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
    const res = await request(server.url + path, {
      method,
      dispatcher: agent,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: JSON.parse(text), retryAfter: res.headers['retry-after'] };
  }

  test('the process survives, the analyses fail with an envelope or succeed, and the engine recovers', async () => {
    const created = await call('POST', '/api/v1/conversations', meeting);
    assert.equal(created.status, 200);
    const id = created.body.data.id;
    const ask = () => call('POST', `/api/v1/conversations/${id}/query`, { query: 'Who sends the report?' });
    // Warm up: one worker thread runs (the pool may start a second one on demand), the database
    // files are open, and four connections are open.
    assert.equal((await ask()).status, 200);
    await Promise.all(Array.from({ length: 4 }, () => call('GET', '/api/v1/user/profile')));

    const pid = server.child.pid!;
    const original = execFileSync(prlimit!, [`--pid=${pid}`, '--nofile', '--output=SOFT', '--noheadings']).toString().trim();
    const open = readdirSync(`/proc/${pid}/fd`).length;
    execFileSync(prlimit!, [`--pid=${pid}`, `--nofile=${open + 1}:`]);
    let results;
    try {
      // More concurrent analyses than running threads: the pool starts another worker, which fails.
      results = await Promise.all(Array.from({ length: 4 }, () => ask()));
      await sleep(500);
    } finally {
      execFileSync(prlimit!, [`--pid=${pid}`, `--nofile=${original}:`]);
    }
    assert.equal(exited, undefined, `the server exited\n${server.stdout()}\n${server.stderr()}`);
    assert.match(server.stdout(), /analysis worker thread failed/, 'a worker thread really failed to start');
    for (const r of results) {
      if (r.status === 200) continue;
      assert.ok(r.status >= 500 && r.status <= 503, `status ${r.status}`);
      assert.equal(typeof r.body.error.code, 'string');
      assert.equal(typeof r.body.error.message, 'string');
      if (r.status === 503) {
        assert.equal(r.body.error.code, 'service_unavailable');
        assert.match(String(r.retryAfter), /^[1-9]\d*$/);
      }
    }

    // File descriptors are back: analyses run again, on fresh threads.
    let recovered = false;
    for (let i = 0; i < 20 && !recovered; i++) {
      const r = await ask();
      recovered = r.status === 200 && typeof r.body.data.response === 'string';
      if (!recovered) await sleep(500);
    }
    assert.ok(recovered, 'analyses work again once file descriptors are available');
    assert.equal(exited, undefined);
  });
});
