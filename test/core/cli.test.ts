// The admin CLI as child processes on an embedded data folder: users, keys and imports both while the
// server is stopped (the CLI opens the folder itself) and while it runs (the CLI goes through the
// server's local admin interface); a second server on the same folder refuses to start.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from './support.js';
import { api, childEnv, freePort, runCli, runServerExpectingExit, startServerProcess, type ServerProcess } from './processes.js';
import { embeddedOnly } from '../helpers/db.js';

describe('colloquy CLI on the embedded data folder', { skip: embeddedOnly }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let server: ServerProcess | null = null;
  // Filled in as the suite goes.
  let anaKey = '';
  let anaKeyId = '';
  let anaImport = '';
  let carlKey = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'colloquy-cli-'));
    env = childEnv(dir, await freePort());
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('with the server stopped, the CLI opens the folder itself', () => {
    test('users create --json', async () => {
      const r = await runCli(['users', 'create', '--email', 'ana@example.com', '--name', 'Ana Silva', '--tier', 'starter', '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.json.id, /^usr_[0-9A-Za-z]{20}$/);
      assert.deepEqual({ ...r.json, id: 'x' }, { id: 'x', email: 'ana@example.com', name: 'Ana Silva', tier: 'starter', timezone: 'UTC' });
      assert.ok(!existsSync(join(dir, 'colloquy.lock')), 'the CLI released the folder');
    });

    test('keys create --json prints {"key","id"} as the last line', async () => {
      const r = await runCli(['keys', 'create', '--email', 'ana@example.com', '--name', 'laptop', '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(Object.keys(r.json).sort(), ['id', 'key']);
      assert.match(r.json.key, /^convo_[0-9A-Za-z]{32}$/);
      assert.match(r.json.id, /^key_[0-9A-Za-z]{20}$/);
      anaKey = r.json.key;
      anaKeyId = r.json.id;
      // Starter allows one key.
      const second = await runCli(['keys', 'create', '--email', 'ana@example.com', '--json'], env);
      assert.equal(second.code, 1);
      assert.equal(second.json.error.code, 'forbidden');
    });

    test('import FILE --json', async () => {
      const r = await runCli(['import', join(FIXTURES, 'zoom-roadmap.vtt'), '--email', 'ana@example.com', '--start-time', '2026-03-18T14:00:00Z', '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.json.id, /^sess_/);
      assert.equal(r.json.title, 'zoom-roadmap');
      assert.equal(r.json.segmentCount, 15);
      anaImport = r.json.id;
    });

    test('the server started afterwards serves what the CLI wrote, and prints no key', async () => {
      server = await startServerProcess(env);
      assert.match(server.stdout(), /Colloquy listening on http:\/\/127\.0\.0\.1:\d+/);
      assert.ok(!/convo_/.test(server.stdout()), 'no key printed: the database is not empty');
      const me = await api(server.url, anaKey, '/api/v1/user/profile');
      assert.equal(me.status, 200, me.text);
      assert.equal(me.body.data.profile.email, 'ana@example.com');
      assert.equal(me.body.data.subscription.tier, 'starter');
      const list = await api(server.url, anaKey, '/api/v1/conversations');
      assert.deepEqual(list.body.data.map((c: any) => [c.id, c.segmentCount]), [[anaImport, 15]]);
      const tr = await api(server.url, anaKey, `/api/v1/conversations/${anaImport}/transcript`);
      assert.equal(tr.body.data.segments[0].speaker, 'Dana Whitfield');
      assert.equal(tr.body.data.segments[0].timestamp, '2026-03-18T14:00:02.310Z');
    });
  });

  describe('with the server running, the CLI goes through its admin interface', () => {
    let bobKey = '';
    let bobKeyId = '';

    test('the server records its admin interface in the data folder', () => {
      assert.ok(server, 'server running');
      const admin = JSON.parse(readFileSync(join(dir, 'admin.json'), 'utf8'));
      assert.equal(admin.pid, server!.child.pid);
      assert.equal(admin.url, server!.url);
      assert.ok(admin.token.length >= 24);
      assert.equal(Number(readFileSync(join(dir, 'colloquy.lock'), 'utf8')), server!.child.pid);
    });

    test('users create and keys create; the key works at once', async () => {
      const u = await runCli(['users', 'create', '--email', 'bob@example.com', '--name', 'Bob', '--tier', 'professional', '--json'], env);
      assert.equal(u.code, 0, u.stderr);
      assert.equal(u.json.email, 'bob@example.com');
      const k = await runCli(['keys', 'create', '--email', 'bob@example.com', '--json'], env);
      assert.equal(k.code, 0, k.stderr);
      assert.deepEqual(Object.keys(k.json).sort(), ['id', 'key']);
      bobKey = k.json.key;
      bobKeyId = k.json.id;
      const me = await api(server!.url, bobKey, '/api/v1/user/profile');
      assert.equal(me.status, 200, me.text);
      assert.equal(me.body.data.profile.email, 'bob@example.com');
      // The CLI could not have opened the folder (the server holds it): the requests went to /_admin.
      const metrics = await api(server!.url, null, '/metrics');
      assert.match(metrics.text, /colloquy_http_request_duration_seconds_count\{method="POST",route="\/_admin\/users",status="201"\} 1/);
      assert.match(metrics.text, /colloquy_http_request_duration_seconds_count\{method="POST",route="\/_admin\/keys",status="201"\} 1/);
    });

    test('import FILE goes through the server too', async () => {
      const r = await runCli(['import', join(FIXTURES, 'design-review.srt'), '--email', 'bob@example.com', '--title', 'Dashboard design review', '--start-time', '2026-04-02T09:00:00Z', '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.title, 'Dashboard design review');
      assert.equal(r.json.segmentCount, 15);
      const c = await api(server!.url, bobKey, `/api/v1/conversations/${r.json.id}`);
      assert.equal(c.status, 200);
      assert.equal(c.body.data.startTime, '2026-04-02T09:00:00.000Z');
      const tr = await api(server!.url, bobKey, `/api/v1/conversations/${r.json.id}/transcript`);
      assert.deepEqual([...new Set(tr.body.data.segments.map((s: any) => s.speaker))], ['Jordan Ellis', 'Keiko Tanaka', 'Malik Johnson']);
      assert.equal(tr.body.data.segments[1].timestamp, '2026-04-02T09:00:04.600Z');
      const metrics = await api(server!.url, null, '/metrics');
      assert.match(metrics.text, /route="\/_admin\/import",status="201"\} 1/);
    });

    test('keys revoke ID: the key is 401 at once', async () => {
      const r = await runCli(['keys', 'revoke', bobKeyId, '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.json, { id: bobKeyId, revoked: true });
      const res = await api(server!.url, bobKey, '/api/v1/user/profile');
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthorized');
    });

    test('errors exit 1 with the message (and a JSON error line with --json)', async () => {
      // Independent commands, run side by side (each one answers through the server).
      const [dup, tier, missing, bad, usage, noKey, zone] = await Promise.all([
        runCli(['users', 'create', '--email', 'ANA@example.com', '--name', 'Again', '--json'], env),
        runCli(['users', 'create', '--email', 'x@example.com', '--name', 'X', '--tier', 'platinum'], env),
        runCli(['keys', 'create', '--email', 'nobody@example.com', '--json'], env),
        runCli(['import', join(FIXTURES, 'zoom-roadmap.vtt'), '--email', 'nobody@example.com', '--json'], env),
        runCli(['users', 'create', '--email', 'y@example.com'], env),
        runCli(['keys', 'revoke', 'key_doesnotexist', '--json'], env),
        runCli(['users', 'create', '--email', 'z@example.com', '--name', 'Z', '--timezone', 'Mars/Olympus_Mons', '--json'], env),
      ]);
      assert.equal(dup.code, 1);
      assert.match(dup.stderr, /already exists/);
      assert.equal(dup.json.error.code, 'conflict');
      assert.equal(tier.code, 1);
      assert.match(tier.stderr, /Invalid user/);
      // The field and its allowed values are named, as the API's details do.
      assert.match(tier.stderr, /--tier: One of free, starter, professional, enterprise/);
      assert.equal(missing.code, 1);
      assert.equal(missing.json.error.code, 'not_found');
      assert.equal(bad.code, 1);
      assert.equal(bad.json.error.code, 'not_found');
      assert.equal(usage.code, 2, 'a missing required option is a usage error');
      assert.equal(noKey.code, 1);
      assert.equal(noKey.json.error.code, 'not_found');
      assert.equal(zone.code, 1);
      assert.equal(zone.json.error.code, 'validation_error');
      assert.match(zone.json.error.details.timezone, /IANA time zone/);
      assert.match(zone.stderr, /Invalid user\n  --timezone: Must be an IANA time zone/);
    });

    test('human output: the key is printed once', async () => {
      const human = await runCli(['users', 'create', '--email', 'carl@example.com', '--name', 'Carl', '--tier', 'professional', '--timezone', 'Europe/Berlin'], env);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /Created user carl@example.com \(professional\), id usr_\w+, time zone Europe\/Berlin/);
      const hk = await runCli(['keys', 'create', '--email', 'carl@example.com'], env);
      assert.equal(hk.code, 0);
      assert.equal(hk.stdout.match(/convo_[0-9A-Za-z]{32}/g)?.length, 1);
      carlKey = hk.stdout.match(/convo_[0-9A-Za-z]{32}/)![0];
      assert.match(hk.stdout, /shown once/);
      // --timezone is the profile zone the API reports (and conversations without one are read in).
      const me = await api(server!.url, carlKey, '/api/v1/user/profile');
      assert.equal(me.body.data.profile.timezone, 'Europe/Berlin');
    });

    test('the admin interface refuses requests without its token', async () => {
      const res = await fetch(`${server!.url}/_admin/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' },
        body: JSON.stringify({ email: 'eve@example.com', name: 'Eve', tier: 'enterprise' }),
      });
      assert.equal(res.status, 401);
      const noAuth = await fetch(`${server!.url}/_admin/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ana@example.com' }) });
      assert.equal(noAuth.status, 401);
    });

    test('a second server on the same data folder refuses to start (exit 2) with a clear message', async () => {
      const second = await runServerExpectingExit(childEnv(dir, await freePort()));
      assert.equal(second.code, 2, second.stderr);
      assert.match(second.stderr, new RegExp(`colloquy: The data folder .* is in use by process ${server!.child.pid}`));
      // The running server is unaffected.
      assert.equal((await api(server!.url, anaKey, '/api/v1/user/profile')).status, 200);
    });

    test('the server stops cleanly and releases the folder', async () => {
      const code = await server!.stop();
      server = null;
      assert.equal(code, 0);
      assert.ok(!existsSync(join(dir, 'colloquy.lock')), 'lock released');
      assert.ok(!existsSync(join(dir, 'admin.json')), 'admin endpoint removed');
    });
  });

  describe('stopped again', () => {
    test('keys revoke while stopped; the next server refuses the key', async () => {
      const r = await runCli(['keys', 'revoke', anaKeyId, '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.json, { id: anaKeyId, revoked: true });
      server = await startServerProcess(env);
      const res = await api(server.url, anaKey, '/api/v1/conversations');
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthorized');
      // What went through the server earlier survived the restart.
      const carl = await api(server.url, carlKey, '/api/v1/user/profile');
      assert.equal(carl.status, 200, carl.text);
      assert.equal(carl.body.data.profile.email, 'carl@example.com');
      assert.equal(await server.stop(), 0);
      server = null;
    });
  });
});
