// In-process API suite, part 3: /user/profile, /keys, and the system endpoints
// (/healthz, /readyz, /metrics, /api/v1/openapi.json, /docs).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { buildApp } from '../../src/http/app.js';
import type { Container } from '../../src/container.js';
import { assertData, assertError, assertValidation, countRows } from './support.js';

function nextMonthUtc(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
}

describe(`accounts and system endpoints (${dbLabel})`, () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t?.close();
  });

  describe('GET /user/profile', () => {
    test('profile, subscription and apiUsage per tier', async () => {
      const u = await t.user('professional', 'alice@example.com');
      const res = await t.request('GET', '/api/v1/user/profile', { key: u.key });
      const d = assertData(res);
      assert.equal(d.profile.email, 'alice@example.com');
      assert.match(d.profile.name, /^Test \d+$/);
      assert.equal(d.profile.timezone, 'UTC');
      assert.equal(d.profile.language, 'en');
      assert.ok(Math.abs(Date.parse(d.profile.createdAt) - Date.now()) < 60_000);
      assert.deepEqual(d.subscription, { tier: 'professional', status: 'active', currentPeriodEnd: nextMonthUtc() });
      assert.deepEqual(d.apiUsage.aiGenerations, { used: 0, limit: 100, remaining: 100, resetsAt: nextMonthUtc() });
      assert.equal(d.apiUsage.rateLimit.limit, 500);
      assert.equal(d.apiUsage.rateLimit.window, '1h');
      assert.equal(d.apiUsage.rateLimit.remaining, 499, 'this request counted');
      assert.equal(res.headers.get('x-ratelimit-remaining'), '499');

      // Credits spent this month show up; so does the next request in the window.
      const period = new Date().toISOString().slice(0, 7);
      await sql`insert into ai_usage (user_id, period, used) values (${u.userId}, ${period}, 37)`.execute(t.container.db);
      const d2 = assertData(await t.request('GET', '/api/v1/user/profile', { key: u.key }));
      assert.deepEqual(d2.apiUsage.aiGenerations, { used: 37, limit: 100, remaining: 63, resetsAt: nextMonthUtc() });
      assert.equal(d2.apiUsage.rateLimit.remaining, 498);
    });

    test('enterprise has unlimited (null) AI generations; starter has 10', async () => {
      const e = await t.user('enterprise');
      const ed = assertData(await t.request('GET', '/api/v1/user/profile', { key: e.key }));
      assert.equal(ed.subscription.tier, 'enterprise');
      assert.equal(ed.apiUsage.aiGenerations.limit, null);
      assert.equal(ed.apiUsage.aiGenerations.remaining, null);
      assert.equal(ed.apiUsage.rateLimit.limit, 2000);
      const s = await t.user('starter');
      const sd = assertData(await t.request('GET', '/api/v1/user/profile', { key: s.key }));
      assert.deepEqual([sd.apiUsage.aiGenerations.limit, sd.apiUsage.aiGenerations.remaining, sd.apiUsage.rateLimit.limit], [10, 10, 100]);
    });
  });

  describe('GET/POST/DELETE /keys', () => {
    test('a created key is shown once, stored only as a hash, and works', async () => {
      const u = await t.user('professional');
      const created = await t.request('POST', '/api/v1/keys', { key: u.key, body: { name: '  CI pipeline ' } });
      const k = assertData(created, 201);
      assert.match(k.id, /^key_[0-9A-Za-z]{20}$/);
      assert.match(k.key, /^convo_[0-9A-Za-z]{32}$/);
      assert.equal(k.name, 'CI pipeline');
      assert.equal(k.prefix, k.key.slice(0, 12));
      assert.ok(!Number.isNaN(Date.parse(k.createdAt)));

      const row = await t.container.db.selectFrom('api_keys').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow();
      assert.equal(row.hash, createHash('sha256').update(k.key).digest('hex'));
      const dump = JSON.stringify(await sql`select * from api_keys`.execute(t.container.db));
      assert.ok(!dump.includes(k.key), 'the plain key is stored nowhere');

      const me = assertData(await t.request('GET', '/api/v1/user/profile', { key: k.key }));
      assert.equal(me.profile.email, u.email);

      const list = assertData(await t.request('GET', '/api/v1/keys', { key: u.key }));
      assert.equal(list.length, 2);
      const listed = list.find((x: any) => x.id === k.id);
      assert.deepEqual(Object.keys(listed).sort(), ['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt']);
      assert.equal(listed.prefix, k.prefix);
      assert.equal(listed.revokedAt, null);
      assert.ok(listed.lastUsedAt, 'use is recorded');
      assert.ok(!JSON.stringify(list).includes(k.key), 'the list never shows a key');
    });

    test('POST /keys without a body makes a "default" key', async () => {
      const u = await t.user('professional');
      const k = assertData(await t.request('POST', '/api/v1/keys', { key: u.key }), 201);
      assert.equal(k.name, 'default');
      assert.equal(assertData(await t.request('POST', '/api/v1/keys', { key: u.key, body: {} }), 201).name, 'default');
    });

    test('the per-tier key limit is 403 forbidden; revoking frees a slot', async () => {
      const u = await t.user('professional'); // 3 keys
      const k2 = assertData(await t.request('POST', '/api/v1/keys', { key: u.key, body: { name: 'two' } }), 201);
      assertData(await t.request('POST', '/api/v1/keys', { key: u.key, body: { name: 'three' } }), 201);
      const before = await countRows(t.container.db);
      const over = await t.request('POST', '/api/v1/keys', { key: u.key, body: { name: 'four' } });
      assertError(over, 403, 'forbidden');
      assert.match(over.body.error.message, /3 active API keys/);
      assert.deepEqual(await countRows(t.container.db), before);
      assertData(await t.request('DELETE', `/api/v1/keys/${k2.id}`, { key: u.key }));
      assertData(await t.request('POST', '/api/v1/keys', { key: u.key, body: { name: 'four' } }), 201);

      const s = await t.user('starter'); // 1 key
      assertError(await t.request('POST', '/api/v1/keys', { key: s.key, body: { name: 'second' } }), 403, 'forbidden');
    });

    test('a revoked key is 401 everywhere; other users\' keys are 404', async () => {
      const u = await t.user('professional');
      const spare = assertData(await t.request('POST', '/api/v1/keys', { key: u.key, body: { name: 'spare' } }), 201);
      const del = await t.request('DELETE', `/api/v1/keys/${spare.id}`, { key: u.key });
      assert.deepEqual(assertData(del), { id: spare.id, revoked: true });
      for (const path of ['/api/v1/user/profile', '/api/v1/conversations', '/api/v1/keys']) {
        assertError(await t.request('GET', path, { key: spare.key }), 401, 'unauthorized', path);
      }
      const listed = assertData(await t.request('GET', '/api/v1/keys', { key: u.key })).find((x: any) => x.id === spare.id);
      assert.ok(listed.revokedAt && !Number.isNaN(Date.parse(listed.revokedAt)));
      // Revoking again is harmless.
      assert.deepEqual(assertData(await t.request('DELETE', `/api/v1/keys/${spare.id}`, { key: u.key })), { id: spare.id, revoked: true });

      const other = await t.user('professional');
      assertError(await t.request('DELETE', `/api/v1/keys/${other.keyId}`, { key: u.key }), 404, 'not_found');
      assertData(await t.request('GET', '/api/v1/user/profile', { key: other.key }));
      assertError(await t.request('DELETE', '/api/v1/keys/key_doesnotexist', { key: u.key }), 404, 'not_found');

      // Revoking the key in use ends its own access.
      assertData(await t.request('DELETE', `/api/v1/keys/${u.keyId}`, { key: u.key }));
      assertError(await t.request('GET', '/api/v1/keys', { key: u.key }), 401, 'unauthorized');
    });

    test('bad key bodies are 400', async () => {
      const u = await t.user('enterprise');
      const before = await countRows(t.container.db);
      assertValidation(await t.request('POST', '/api/v1/keys', { key: u.key, body: { name: 'n'.repeat(101) } }), 'name');
      assertValidation(await t.request('POST', '/api/v1/keys', { key: u.key, body: { name: 5 } }), 'name');
      assertValidation(await t.request('POST', '/api/v1/keys', { key: u.key, body: { name: 'ok', tier: 'enterprise' } }), 'tier');
      assertValidation(await t.request('POST', '/api/v1/keys', { key: u.key, body: '[]' }), 'body');
      assertValidation(await t.request('POST', '/api/v1/keys', { key: u.key, body: 'null' }), 'body');
      const form = new FormData();
      form.append('name', 'via form');
      assertValidation(await t.request('POST', '/api/v1/keys', { key: u.key, raw: form }), 'body');
      assert.deepEqual(await countRows(t.container.db), before);
    });
  });

  describe('system endpoints', () => {
    test('/healthz and /readyz need no key', async () => {
      const h = await t.request('GET', '/healthz');
      assert.equal(h.status, 200);
      assert.deepEqual(h.body, { status: 'ok' });
      const r = await t.request('GET', '/readyz');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { status: 'ready', database: dbLabel, migrations: 'applied' });
    });

    test('/readyz is 503 when migrations are missing', async () => {
      const broken: Container = { ...t.container, database: { ...t.container.database, isMigrated: async () => false } };
      const app = await buildApp(broken);
      try {
        const res = await app.inject({ method: 'GET', url: '/readyz' });
        assert.equal(res.statusCode, 503);
        assert.deepEqual(res.json(), { status: 'not_ready', database: dbLabel, migrations: 'pending' });
      } finally {
        await app.close();
      }
    });

    test('an unexpected error is a bare 500 internal_error that reveals nothing of the error', async () => {
      const u = await t.user('professional');
      // A service method failing the way a driver would (not an AppError), on the prototype chain of the
      // real service so that everything else about the container stays as it is.
      const conversations = Object.create(t.container.conversations) as Container['conversations'];
      conversations.list = async () => {
        throw new Error('db secret');
      };
      const broken: Container = { ...t.container, conversations };
      const app = await buildApp(broken);
      try {
        const res = await app.inject({ method: 'GET', url: '/api/v1/conversations', headers: { authorization: `Bearer ${u.key}` } });
        assert.equal(res.statusCode, 500);
        assert.match(String(res.headers['content-type']), /application\/json/);
        assert.equal(res.payload, '{"error":{"code":"internal_error","message":"Unexpected server error"}}');
        assert.ok(!res.payload.includes('db secret'), 'the body does not leak the error');
        assert.ok(!JSON.stringify(res.headers).includes('db secret'), 'nor do the headers');
        // The same request against the healthy container succeeds: the 500 came from the thrown error.
        assert.equal((await t.request('GET', '/api/v1/conversations', { key: u.key })).status, 200);
      } finally {
        await app.close();
      }
    });

    test('the admin interface is 404 to a non-loopback address, even with the right token', async () => {
      const token = 'admin-token-for-test';
      const app = await buildApp(t.container, { adminToken: token });
      const createUser = (remoteAddress: string, email: string) =>
        app.inject({
          method: 'POST',
          url: '/_admin/users',
          remoteAddress,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ email, name: 'Remote', tier: 'professional' }),
        });
      try {
        const before = await countRows(t.container.db);
        const remote = await createUser('10.0.0.5', 'remote-admin@example.com');
        assert.equal(remote.statusCode, 404);
        assert.deepEqual(remote.json(), { error: { code: 'not_found', message: 'Not found' } });
        const mapped = await createUser('::ffff:10.0.0.5', 'remote-admin@example.com');
        assert.equal(mapped.statusCode, 404);
        assert.deepEqual(await countRows(t.container.db), before, 'nothing was written');
        assert.equal(await t.container.db.selectFrom('users').select('id').where('email', '=', 'remote-admin@example.com').executeTakeFirst(), undefined);
        // The same request from loopback is accepted: the address alone made the difference.
        const local = await createUser('127.0.0.1', 'local-admin@example.com');
        assert.equal(local.statusCode, 201, local.payload);
        assert.equal(local.json().data.email, 'local-admin@example.com');
      } finally {
        await app.close();
      }
    });

    test('/metrics is Prometheus text with request durations by route', async () => {
      const u = await t.user('starter');
      await t.request('GET', '/api/v1/conversations', { key: u.key });
      await t.request('GET', '/api/v1/conversations/sess_x', { key: u.key });
      const m = await t.request('GET', '/metrics');
      assert.equal(m.status, 200);
      assert.match(m.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(m.text, /# TYPE colloquy_http_request_duration_seconds histogram/);
      assert.match(m.text, /colloquy_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/conversations",status="200"\} [1-9]/);
      assert.match(m.text, /colloquy_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/conversations\/:id",status="404"\} [1-9]/);
      assert.match(m.text, /colloquy_process_cpu_user_seconds_total/);
    });

    test('/api/v1/openapi.json is OpenAPI 3.1 with every route', async () => {
      const res = await t.request('GET', '/api/v1/openapi.json');
      assert.equal(res.status, 200);
      const doc = res.body;
      assert.equal(doc.openapi, '3.1.0');
      assert.equal(doc.info.title, 'Colloquy API');
      assert.deepEqual(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer', description: 'An API key: convo_…' });
      const expected: Record<string, string[]> = {
        '/api/v1/conversations': ['get', 'post'],
        '/api/v1/conversations/import': ['post'],
        '/api/v1/conversations/{id}': ['delete', 'get', 'patch'],
        '/api/v1/conversations/{id}/restore': ['post'],
        '/api/v1/conversations/{id}/messages': ['post'],
        '/api/v1/conversations/{id}/transcript': ['get'],
        '/api/v1/user/profile': ['get', 'patch'],
        '/api/v1/keys': ['get', 'post'],
        '/api/v1/keys/{id}': ['delete'],
        '/healthz': ['get'],
        '/readyz': ['get'],
      };
      for (const [path, methods] of Object.entries(expected)) {
        assert.ok(doc.paths[path], `${path} documented`);
        for (const m of methods) assert.ok(doc.paths[path][m], `${m.toUpperCase()} ${path} documented`);
      }
      assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/_admin')), 'the admin interface is not documented');
      const createBody = doc.paths['/api/v1/conversations'].post.requestBody.content['application/json'].schema;
      for (const f of ['content', 'messages', 'segments', 'idempotencyKey', 'promptId', 'status']) assert.ok(createBody.properties[f], `create documents ${f}`);
      const listParams = doc.paths['/api/v1/conversations'].get.parameters.map((p: any) => p.name).sort();
      assert.deepEqual(listParams, ['cursor', 'hasInsights', 'include', 'kind', 'limit', 'offset', 'promptId', 'search', 'since', 'sort', 'status']);
      assert.deepEqual(
        doc.paths['/api/v1/conversations/{id}'].get.parameters.find((p: any) => p.in === 'path'),
        { ...doc.paths['/api/v1/conversations/{id}'].get.parameters.find((p: any) => p.in === 'path'), name: 'id', required: true },
      );
      assert.ok(doc.paths['/api/v1/conversations/{id}/messages'].post.responses['409'], 'append documents 409');
      // Bodies that may be left out are documented as optional; the others stay required.
      assert.equal(doc.paths['/api/v1/keys'].post.requestBody.required, false, 'POST /keys works without a body');
      assert.equal(doc.paths['/api/v1/conversations'].post.requestBody.required, true);
      assert.equal(doc.paths['/api/v1/conversations/{id}/messages'].post.requestBody.required, true);
    });

    test('/docs renders the document', async () => {
      const res = await t.request('GET', '/docs');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(res.text, /swagger-ui/i);
      const json = await t.request('GET', '/docs/json');
      assert.equal(json.status, 200);
      assert.equal(json.body.openapi, '3.1.0');
    });
  });
});
