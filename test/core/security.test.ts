// Security matrix over every /api/v1 route in the OpenAPI document: missing, malformed and revoked
// keys are 401, the free tier is 403, another user's resources are 404 exactly like missing ones,
// and no rejected request writes anything.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { apiRoutes, fillPath, requestBody, type ApiRoute } from './openapi-routes.js';
import { assertData, assertError, snapshot } from './support.js';

describe(`security matrix on every /api/v1 route (${dbLabel})`, () => {
  let t: TestApp;
  let routes: ApiRoute[];
  let owner: Awaited<ReturnType<TestApp['user']>>;
  let attacker: Awaited<ReturnType<TestApp['user']>>;
  let free: Awaited<ReturnType<TestApp['user']>>;
  let revokedKey: string;
  let ownerConversation: string;
  let ownerDeleted: string;
  let initial: string;

  // Path parameters: the owner's resources (for the attacker) and ids that exist for nobody.
  const OWNER_WEBHOOK = 'wh_ownerownerownerowner1';
  const OWNER_DELIVERY = 'msg_ownerownerownerownr1';
  const ownerValuesFor = (r: ApiRoute): Record<string, string> => {
    if (r.template.startsWith('/api/v1/keys/')) return { id: owner.keyId };
    if (r.template.startsWith('/api/v1/webhooks/')) return { id: OWNER_WEBHOOK, deliveryId: OWNER_DELIVERY };
    return { id: ownerConversation, conversationId: ownerConversation };
  };
  const missingValuesFor = (r: ApiRoute): Record<string, string> => {
    if (r.template.startsWith('/api/v1/keys/')) return { id: 'key_0000000000000000000x' };
    if (r.template.startsWith('/api/v1/webhooks/')) return { id: 'wh_0000000000000000000x', deliveryId: 'msg_000000000000000000x' };
    return { id: 'sess_0000000000000000000x', conversationId: 'sess_0000000000000000000x' };
  };

  const send = (r: ApiRoute, path: string, headers: Record<string, string>) => {
    const { body, raw } = requestBody(r);
    return t.request(r.method, path, { headers, body, raw });
  };

  before(async () => {
    t = await startTestApp();
    owner = await t.user('professional', 'owner@example.com');
    attacker = await t.user('enterprise', 'attacker@example.com');
    free = await t.user('free', 'free@example.com');
    const revoked = await t.user('professional', 'revoked@example.com');
    revokedKey = revoked.key;
    await t.container.accounts.revokeKey(revoked.keyId);

    ownerConversation = assertData(
      await t.request('POST', '/api/v1/conversations', { key: owner.key, body: { title: 'Board meeting', content: 'Alice: Confidential numbers.\nBob: Noted.' } }),
    ).id;
    ownerDeleted = assertData(await t.request('POST', '/api/v1/conversations', { key: owner.key, body: { title: 'Deleted one', content: 'Alice: x' } })).id;
    assertData(await t.request('DELETE', `/api/v1/conversations/${ownerDeleted}`, { key: owner.key }));

    // The owner's webhook and one delivery, written directly (registering one would need DNS for its URL).
    await sql`insert into webhooks (id, user_id, url, events, secret) values (${OWNER_WEBHOOK}, ${owner.userId}, 'https://hooks.example.com/owner', '["conversation.created"]'::jsonb, 'whsec_owner')`.execute(t.container.db);
    await sql`insert into webhook_deliveries (id, webhook_id, user_id, event, payload, status) values (${OWNER_DELIVERY}, ${OWNER_WEBHOOK}, ${owner.userId}, 'conversation.created', '{}', 'delivered')`.execute(t.container.db);

    routes = apiRoutes((await t.request('GET', '/api/v1/openapi.json')).body);
    initial = await snapshot(t.container.db);
  });
  after(async () => {
    await t?.close();
  });

  test('the OpenAPI document lists the core routes (the matrix is not empty)', () => {
    const names = routes.map((r) => `${r.method} ${r.template}`);
    for (const must of [
      'GET /api/v1/conversations',
      'POST /api/v1/conversations',
      'POST /api/v1/conversations/import',
      'GET /api/v1/conversations/{id}',
      'PATCH /api/v1/conversations/{id}',
      'DELETE /api/v1/conversations/{id}',
      'POST /api/v1/conversations/{id}/restore',
      'POST /api/v1/conversations/{id}/messages',
      'GET /api/v1/conversations/{id}/transcript',
      'GET /api/v1/user/profile',
      'GET /api/v1/keys',
      'POST /api/v1/keys',
      'DELETE /api/v1/keys/{id}',
    ]) {
      assert.ok(names.includes(must), `${must} in the matrix`);
    }
  });

  test('no Authorization header → 401 unauthorized on every route', async () => {
    for (const r of routes) {
      const res = await send(r, fillPath(r.template, ownerValuesFor(r)), {});
      assertError(res, 401, 'unauthorized', `${r.method} ${r.template}`);
      assert.equal(res.headers.get('x-ratelimit-limit'), null, 'unauthenticated requests are not counted');
    }
  });

  test('malformed Authorization headers and keys → 401 unauthorized on every route', async () => {
    const k = attacker.key;
    const malformed = [
      'Bearer',
      'Bearer ',
      `Basic ${Buffer.from('user:pass').toString('base64')}`,
      `Token ${k}`,
      k,
      `Bearer ${k}x`,
      `Bearer ${k.slice(0, -1)}`,
      `Bearer ${k} ${k}`,
      'Bearer convo_',
      'Bearer convo_12345',
      `Bearer ${k.replace('convo_', 'sk_')}`,
      `Bearer convo_${'A'.repeat(32)}`, // well-formed but unknown
      `Bearer ${k.slice(0, 6)}${k.slice(6).split('').reverse().join('')}`,
      `Bearer ${'x'.repeat(4000)}`,
      'Bearer \u00e9\u00e9\u00e9',
    ];
    for (const r of routes) {
      for (const header of malformed) {
        const res = await send(r, fillPath(r.template, ownerValuesFor(r)), { authorization: header });
        assertError(res, 401, 'unauthorized', `${r.method} ${r.template} with ${JSON.stringify(header.slice(0, 40))}`);
      }
    }
  });

  test('a revoked key → 401 unauthorized on every route', async () => {
    for (const r of routes) {
      const res = await send(r, fillPath(r.template, ownerValuesFor(r)), { authorization: `Bearer ${revokedKey}` });
      assertError(res, 401, 'unauthorized', `${r.method} ${r.template}`);
    }
  });

  test('a free-tier key → 403 forbidden on every route', async () => {
    for (const r of routes) {
      const res = await send(r, fillPath(r.template, missingValuesFor(r)), { authorization: `Bearer ${free.key}` });
      assertError(res, 403, 'forbidden', `${r.method} ${r.template}`);
      assert.match(res.body.error.message, /Starter/);
    }
    const buckets = await t.container.db.selectFrom('rate_buckets').select('user_id').where('user_id', '=', free.userId).execute();
    assert.equal(buckets.length, 0, 'forbidden requests are not counted either');
  });

  test("another user's resources → 404 not_found, indistinguishable from ids that do not exist", async () => {
    const withParams = routes.filter((r) => r.params.length);
    assert.ok(withParams.length >= 6);
    for (const r of withParams) {
      const where = `${r.method} ${r.template}`;
      const headers = { authorization: `Bearer ${attacker.key}` };
      const theirs = await send(r, fillPath(r.template, ownerValuesFor(r)), headers);
      const missing = await send(r, fillPath(r.template, missingValuesFor(r)), headers);
      assertError(theirs, 404, 'not_found', where);
      assertError(missing, 404, 'not_found', where);
      assert.deepEqual(theirs.body, missing.body, `${where}: same answer as for a missing id`);
      if (r.template.startsWith('/api/v1/conversations/')) {
        // The owner's soft-deleted conversation too (restore included).
        const deleted = await send(r, fillPath(r.template, { id: ownerDeleted, conversationId: ownerDeleted }), headers);
        assert.deepEqual([deleted.status, deleted.body], [404, missing.body], `${where} on a deleted conversation`);
      }
    }
    // The attacker's list and search never show the owner's conversations.
    const listed = await t.request('GET', '/api/v1/conversations?search=Confidential', { key: attacker.key });
    assert.deepEqual(listed.body.pagination.total, 0);
  });

  test('nothing any rejected request did was written', async () => {
    assert.equal(await snapshot(t.container.db), initial);
    // And the owner still sees everything exactly as before.
    const c = assertData(await t.request('GET', `/api/v1/conversations/${ownerConversation}`, { key: owner.key }));
    assert.equal(c.title, 'Board meeting');
    assert.equal(c.segmentCount, 2);
    assertData(await t.request('GET', '/api/v1/user/profile', { key: owner.key }));
    assertError(await t.request('GET', `/api/v1/conversations/${ownerDeleted}`, { key: owner.key }), 404, 'not_found');
    if (routes.some((r) => r.template === '/api/v1/webhooks/{id}')) {
      const hooks = await t.request('GET', '/api/v1/webhooks', { key: owner.key });
      assert.ok(assertData<any[]>(hooks).some((h) => h.id === OWNER_WEBHOOK), 'the owner still has the webhook');
      // The ids the attacker was refused are live for their owner, so the 404s above were not vacuous.
      const own = await t.request('GET', `/api/v1/webhooks/${OWNER_WEBHOOK}/deliveries/${OWNER_DELIVERY}`, { key: owner.key });
      assert.equal(own.status, 200, own.text);
    }
    assert.equal((await t.request('GET', `/api/v1/conversations/${ownerConversation}/transcript`, { key: owner.key })).status, 200);
  });
});
