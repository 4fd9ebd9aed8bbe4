// Stopping the server while analysis threads are still loading the engine: Node 20 aborts the
// whole process (SIGABRT) when a thread is stopped inside a synchronous require() of an ES module,
// so `npm start` under a supervisor would report a crash on an ordinary restart. Each round starts
// a server, asks for four analyses at once (new threads start) and sends SIGTERM within a few tens
// of milliseconds: every round must exit 0. Before the fix about one round in twelve aborted, and
// every round waited out the 15 s shutdown deadline (exit 1) for keep-alive connections that went
// idle after closing began. With the data folder kept between rounds (as on every restart), the
// server is up sooner, and a SIGTERM before its signal handlers were installed killed it outright
// (exit by signal, database left open) in about half the rounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, childEnv, freePort, startServerProcess } from '../core/processes.js';
import { embeddedOnly } from '../helpers/db.js';

// Four rounds send SIGTERM at each of the four delays below once; before the fix every round failed.
const ROUNDS = 4;

test('SIGTERM while analysis threads are starting exits 0, every time', { timeout: 600_000, skip: embeddedOnly }, async () => {
  const outcomes: string[] = [];
  // One data folder for every round: the database is created once, the threads start every round.
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-stop-'));
  let key = '';
  let conversationId = '';
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const server = await startServerProcess(childEnv(dir, await freePort(), { COLLOQUY_DEMO_USER: 'true', COLLOQUY_ENGINE_THREADS: '4' }));
      if (!key) {
        key = /API key: (convo_\S+)/.exec(server.stdout())![1];
        const created = await api(server.url, key, '/api/v1/conversations', { method: 'POST', body: { content: 'Alice: We will ship on Friday.\nBob: Agreed.' } });
        assert.equal(created.status, 200, created.text);
        conversationId = created.body.data.id;
      }
      for (let k = 0; k < 4; k++) void api(server.url, key, `/api/v1/conversations/${conversationId}/keypoints`, { method: 'POST', body: { forceRefresh: true } }).catch(() => {});
      await new Promise((r) => setTimeout(r, 25 * (i % 4)));
      const code = await server.stop();
      outcomes.push(`round ${i}: exit ${code}${code === 0 ? '' : `\n${server.stderr().slice(0, 2000)}`}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(outcomes.every((o) => o.endsWith('exit 0')), outcomes.join('\n'));
});
