// `colloquy calendar set` run as a real child process (the compiled CLI) on a fresh data folder (or
// PostgreSQL database), then the events listed through the API of a server opened on the same data.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/types.js';
import { dbLabel, freshDatabase, usingPostgres } from '../helpers/db.js';
import { runCli, type RunResult } from '../core/processes.js';
import { fixture, serveIcs, startLocalServer, type LocalServer } from './support.js';

describe(`colloquy calendar set (${dbLabel})`, () => {
  let feeds: LocalServer;
  let dataDir: string;
  let db: Awaited<ReturnType<typeof freshDatabase>> | null = null;
  let container: Container | null = null;
  let app: App | null = null;

  // The compiled CLI (as `npx colloquy` runs it), one process per call.
  function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('COLLOQUY_') && k !== 'DATABASE_URL') env[k] = v;
    Object.assign(env, { COLLOQUY_DATA_DIR: dataDir, LOG_LEVEL: 'silent', COLLOQUY_DEMO_USER: 'false', COLLOQUY_WORKER: 'off' }, extraEnv);
    if (db?.url) env.DATABASE_URL = db.url;
    return runCli(args, env);
  }

  before(async () => {
    feeds = await startLocalServer({ '/feeds/work.ics': serveIcs(fixture('google-work.ics')) });
    dataDir = mkdtempSync(join(tmpdir(), 'colloquy-calendar-cli-'));
    if (usingPostgres) db = await freshDatabase();
  });
  after(async () => {
    await app?.close();
    if (container) await container.close();
    else await db?.database.close();
    await db?.drop();
    await feeds?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Five CLI processes in a row, each opening the embedded database itself (PostgreSQL compiled to
  // WebAssembly: the first one also creates it). Compiled, one takes a second or two on an idle
  // machine but up to ~25 s on a loaded one, so the budget is generous; a hang still fails.
  test('set an ICS feed for a user, then list their events', { timeout: 300_000 }, async () => {
    const allow = { COLLOQUY_CALENDAR_ALLOW_PRIVATE: 'true' };
    const created = await cli(['users', 'create', '--email', 'dana@example.com', '--name', 'Dana Ko', '--tier', 'starter', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const userId = created.json.id as string;

    const url = `${feeds.url}/feeds/work.ics`;
    const set = await cli(['calendar', 'set', '--email', 'dana@example.com', '--ics', url, '--json'], allow);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(set.json, { email: 'dana@example.com', userId, type: 'ics', url });

    const human = await cli(['calendar', 'set', '--email', 'dana@example.com', '--ics', url], allow);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Connected the calendar of dana@example\.com/);

    // Unknown user, and a private address without the operator's allowance: exit 1 with the error.
    const unknown = await cli(['calendar', 'set', '--email', 'nobody@example.com', '--ics', url, '--json'], allow);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.json.error.code, 'not_found');
    const refused = await cli(['calendar', 'set', '--email', 'dana@example.com', '--ics', url, '--json']);
    assert.equal(refused.code, 1);
    assert.equal(refused.json.error.code, 'validation_error');
    assert.match(refused.json.error.message, /URL refused/);

    // Open the same data as a server would, and list through the API.
    const config = loadConfig({ COLLOQUY_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', COLLOQUY_CALENDAR_ALLOW_PRIVATE: 'true', COLLOQUY_WORKER: 'off', COLLOQUY_DEMO_USER: 'false' });
    container = await createContainer(config, db ? { database: db.database } : {});
    app = await buildApp(container, { adminToken: 'admin-token-for-test' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const key = (await container.accounts.createKey(userId, 'cli test')).key;

    const res = await fetch(`${base}/api/v1/calendar/events?timeMin=2026-03-18T00:00:00Z&maxResults=3`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: Array<{ start: string; title: string }> };
    assert.deepEqual(body.data.map((e) => [e.start, e.title]), [
      ['2026-03-20', "Founders' day"],
      ['2026-03-25T08:30:00.000Z', 'Berlin launch standup'],
      ['2026-03-26T18:00:00.000Z', 'Weekly product sync (moved)'],
    ]);

    // The same operation through the running server's local admin interface (the CLI's path
    // while a server holds the embedded database).
    const viaServer = await fetch(`${base}/_admin/calendar`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token-for-test', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dana@example.com', ics: `webcal://127.0.0.1:${new URL(feeds.url).port}/feeds/work.ics` }),
    });
    assert.equal(viaServer.status, 200);
    assert.deepEqual(((await viaServer.json()) as any).data, { userId, type: 'ics', url: `https://127.0.0.1:${new URL(feeds.url).port}/feeds/work.ics` });
    const denied = await fetch(`${base}/_admin/calendar`, { method: 'POST', headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(denied.status, 401);
  });
});
