// First start on an empty data folder: one demo key and the URLs are printed once, the key works, and
// the server is usable right away; a second start prints no key.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, childEnv, freePort, startServerProcess, type ServerProcess } from './processes.js';
import { embeddedOnly } from '../helpers/db.js';

describe('first start of the embedded server', { skip: embeddedOnly }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let server: ServerProcess | null = null;
  let key = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'colloquy-first-'));
    port = await freePort();
    env = childEnv(dir, port, { COLLOQUY_DEMO_USER: 'true' });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an empty data folder: one key and the URLs, printed once', async () => {
    server = await startServerProcess(env);
    const out = server.stdout();
    const keys = out.match(/convo_[0-9A-Za-z]{32}/g) ?? [];
    assert.equal(new Set(keys).size, 1, `exactly one key in:\n${out}`);
    key = keys[0]!;
    assert.equal(out.match(/API key: (convo_\w+)/g)?.length, 1, 'the key line appears once');
    assert.match(out, /email:\s+demo@colloquy\.local \(professional tier\)/);
    assert.match(out, new RegExp(`Dashboard: http://localhost:${port}/\\n`));
    assert.match(out, new RegExp(`API:\\s+http://localhost:${port}/api/v1\\s+\\(docs: http://localhost:${port}/docs\\)`));
    assert.match(out, /shown once/);
    assert.equal(server.stderr().trim(), '', 'nothing on stderr');
  });

  test('the printed key works, and the server is usable as soon as it answers', async () => {
    const me = await api(server!.url, key, '/api/v1/user/profile');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.data.profile.email, 'demo@colloquy.local');
    assert.equal(me.body.data.subscription.tier, 'professional');
    // A completed chat (which queues background insights) right after start must not hang.
    const chat = await api(server!.url, key, '/api/v1/conversations', { method: 'POST', body: { content: 'User: Is the server up?\nAssistant: Yes, it is.' } });
    assert.equal(chat.status, 200, chat.text);
    assert.equal(chat.body.data.status, 'completed');
    const meeting = await api(server!.url, key, '/api/v1/conversations', { method: 'POST', body: { content: 'Alice: Kick-off.\nBob: Agreed.' } });
    assert.equal(meeting.status, 200, meeting.text);
    const list = await api(server!.url, key, '/api/v1/conversations');
    assert.equal(list.body.pagination.total, 2);
    const page = await fetch(`${server!.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Colloquy/);
  });

  test('a second start prints no key; the first key still works', async () => {
    assert.equal(await server!.stop(), 0);
    server = await startServerProcess(env);
    const out = server.stdout();
    assert.ok(!/convo_/.test(out), `no key on the second start:\n${out}`);
    assert.match(out, new RegExp(`Colloquy listening on http://127\\.0\\.0\\.1:${port} \\(dashboard http://localhost:${port}/, docs http://localhost:${port}/docs, database: pglite\\)`));
    const me = await api(server.url, key, '/api/v1/user/profile');
    assert.equal(me.status, 200);
    assert.equal((await api(server.url, key, '/api/v1/conversations')).body.pagination.total, 2, 'the data survived the restart');
  });
});
