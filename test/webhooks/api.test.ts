// The /webhooks endpoints: the Convo shapes, tier limits, validation, ownership, the test send,
// and the delivery log. No worker runs here unless a test starts one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { verifyWebhook } from '../../src/integrations/webhooks/index.js';
import { enqueueEvents } from '../../src/domain/webhooks/outbox.js';
import { runWebhookWorker } from '../../src/domain/webhooks/starter.js';
import { register, sleep, startHarness, waitFor, type WebhookHarness } from './helpers.js';

let h: WebhookHarness;
before(async () => {
  h = await startHarness({ worker: false });
});
after(async () => {
  await h.close();
});

test('register, list and delete as in the Convo reference; the secret is shown once', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  const created = await t.request('POST', '/api/v1/webhooks', {
    key: u.key,
    body: { url: receiver.url('/convo'), events: ['conversation.keypoints.ready', 'conversation.feedback.ready'] },
  });
  assert.equal(created.status, 201, created.text);
  const hook = created.body.data;
  assert.match(hook.id, /^wh_[A-Za-z0-9]{20}$/);
  assert.equal(hook.url, receiver.url('/convo'));
  assert.deepEqual(hook.events, ['conversation.keypoints.ready', 'conversation.feedback.ready']);
  assert.match(hook.secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  assert.ok(!Number.isNaN(Date.parse(hook.createdAt)));
  assert.ok(created.headers.get('x-ratelimit-limit'), 'rate-limit headers as on every API response');

  const list = await t.request('GET', '/api/v1/webhooks', { key: u.key });
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.data, [
    {
      id: hook.id,
      url: hook.url,
      events: hook.events,
      created_at: hook.createdAt,
      createdAt: hook.createdAt,
      disabledAt: null,
      disabledReason: null,
    },
  ]);
  assert.ok(!list.text.includes(hook.secret), 'the secret never appears again');
  assert.ok(!(await t.request('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { key: u.key })).text.includes(hook.secret));

  const del = await t.request('DELETE', '/api/v1/webhooks', { key: u.key, body: { id: hook.id } });
  assert.equal(del.status, 200);
  assert.deepEqual(del.body, { data: { id: hook.id, deleted: true } });
  assert.deepEqual((await t.request('GET', '/api/v1/webhooks', { key: u.key })).body.data, []);
  const again = await t.request('DELETE', '/api/v1/webhooks', { key: u.key, body: { id: hook.id } });
  assert.equal(again.status, 404);
  assert.equal(again.body.error.code, 'not_found');

  const other = await register(t, u.key, receiver.url('/other'), ['conversation.created']);
  const byPath = await t.request('DELETE', `/api/v1/webhooks/${other.id}`, { key: u.key });
  assert.deepEqual(byPath.body, { data: { id: other.id, deleted: true } });
});

test('tier limits: professional 3, enterprise unlimited, starter and free 403', async () => {
  const { t, receiver } = h;
  const body = { url: receiver.url('/tier'), events: ['conversation.created'] };

  const pro = await t.user('professional');
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await register(t, pro.key, body.url, body.events)).id);
  const fourth = await t.request('POST', '/api/v1/webhooks', { key: pro.key, body });
  assert.equal(fourth.status, 403);
  assert.equal(fourth.body.error.code, 'forbidden');
  assert.match(fourth.body.error.message, /professional tier allows 3 webhooks/);
  await t.request('DELETE', '/api/v1/webhooks', { key: pro.key, body: { id: ids[0] } });
  assert.equal((await t.request('POST', '/api/v1/webhooks', { key: pro.key, body })).status, 201, 'a deleted webhook frees its slot');

  // Registrations racing each other still stop at the limit.
  const racer = await t.user('professional');
  const statuses = await Promise.all(Array.from({ length: 8 }, () => t.request('POST', '/api/v1/webhooks', { key: racer.key, body }).then((r) => r.status)));
  assert.deepEqual(statuses.sort(), [201, 201, 201, 403, 403, 403, 403, 403]);

  const ent = await t.user('enterprise');
  for (let i = 0; i < 6; i++) await register(t, ent.key, body.url, body.events);
  assert.equal((await t.request('GET', '/api/v1/webhooks', { key: ent.key })).body.data.length, 6);

  for (const tier of ['starter', 'free'] as const) {
    const u = await t.user(tier);
    const res = await t.request('POST', '/api/v1/webhooks', { key: u.key, body });
    assert.equal(res.status, 403, tier);
    assert.equal(res.body.error.code, 'forbidden');
    const test = await t.request('POST', '/api/v1/webhooks/test', { key: u.key, body: { webhookId: 'wh_x' } });
    assert.equal(test.status, 403, tier);
    // Reads too: the Convo reference answers 403 to every webhook endpoint below Professional.
    for (const [method, path, reqBody] of [
      ['GET', '/api/v1/webhooks', undefined],
      ['DELETE', '/api/v1/webhooks', { id: 'wh_x' }],
      ['DELETE', '/api/v1/webhooks/wh_x', undefined],
      ['GET', '/api/v1/webhooks/wh_x/deliveries', undefined],
      ['GET', '/api/v1/webhooks/wh_x/deliveries/msg_x', undefined],
      ['POST', '/api/v1/webhooks/wh_x/deliveries/msg_x/replay', undefined],
    ] as const) {
      const r = await t.request(method, path, { key: u.key, body: reqBody });
      assert.equal(r.status, 403, `${tier} ${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'forbidden');
      assert.match(r.body.error.message, tier === 'free' ? /API access requires the Starter tier/ : /need Professional or Enterprise/);
    }
  }
});

test('bad input is 400 validation_error with details naming each field', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  const post = (body: unknown) => t.request('POST', '/api/v1/webhooks', { key: u.key, body });

  const unknown = await post({ url: receiver.url(), events: ['conversation.created', 'conversation.exploded'] });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, 'validation_error');
  assert.match(unknown.body.error.details['events.1'], /Unknown event; one of conversation\.created, .*webhook\.test/);
  assert.equal(unknown.body.error.details['events.0'], undefined);

  const cases: Array<[unknown, string]> = [
    [{ url: receiver.url(), events: [] }, 'events'],
    [{ url: receiver.url(), events: 'conversation.created' }, 'events'],
    [{ url: receiver.url() }, 'events'],
    [{ events: ['conversation.created'] }, 'url'],
    [{ url: '', events: ['conversation.created'] }, 'url'],
    [{ url: 'not a url', events: ['conversation.created'] }, 'url'],
    [{ url: 'ftp://127.0.0.1/x', events: ['conversation.created'] }, 'url'],
    [{ url: receiver.url(), events: ['conversation.created'], secret: 'mine' }, 'body'],
  ];
  for (const [body, field] of cases) {
    const res = await post(body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.code, 'validation_error');
    assert.ok(res.body.error.details && Object.keys(res.body.error.details).some((k) => k === field || k.startsWith(`${field}.`) || field === 'body'), `${JSON.stringify(body)} → ${res.text}`);
  }
  const badJson = await t.request('POST', '/api/v1/webhooks', { key: u.key, raw: '{"url":', headers: { 'content-type': 'application/json' } });
  assert.equal(badJson.status, 400);
  assert.equal((await t.request('DELETE', '/api/v1/webhooks', { key: u.key, body: {} })).status, 400);
  assert.equal((await t.request('POST', '/api/v1/webhooks/test', { key: u.key, body: { id: 'wh_1' } })).status, 400);
  assert.deepEqual((await t.request('GET', '/api/v1/webhooks', { key: u.key })).body.data, [], 'nothing was written');
  assert.equal((await t.request('GET', '/api/v1/webhooks')).status, 401);
});

test("another user's webhooks and deliveries are 404", async () => {
  const { t, receiver } = h;
  const owner = await t.user('professional');
  const intruder = await t.user('enterprise');
  const hook = await register(t, owner.key, receiver.url('/owned'), ['conversation.created']);
  await enqueueEvents(t.container.db, t.container.newId, owner.userId, [{ event: 'conversation.created', data: { conversationId: 'sess_x' } }]);
  const [delivery] = (await t.request('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { key: owner.key })).body.data;
  assert.ok(delivery);

  const attempts = [
    t.request('DELETE', '/api/v1/webhooks', { key: intruder.key, body: { id: hook.id } }),
    t.request('DELETE', `/api/v1/webhooks/${hook.id}`, { key: intruder.key }),
    t.request('POST', '/api/v1/webhooks/test', { key: intruder.key, body: { webhookId: hook.id } }),
    t.request('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { key: intruder.key }),
    t.request('GET', `/api/v1/webhooks/${hook.id}/deliveries/${delivery.id}`, { key: intruder.key }),
    t.request('POST', `/api/v1/webhooks/${hook.id}/deliveries/${delivery.id}/replay`, { key: intruder.key }),
  ];
  for (const res of await Promise.all(attempts)) {
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.error.code, 'not_found');
  }
  assert.deepEqual((await t.request('GET', '/api/v1/webhooks', { key: intruder.key })).body.data, []);
  // A delivery id under the wrong webhook of its own owner is not found either.
  const second = await register(t, owner.key, receiver.url('/second'), ['conversation.created']);
  assert.equal((await t.request('POST', `/api/v1/webhooks/${second.id}/deliveries/${delivery.id}/replay`, { key: owner.key })).status, 404);
  assert.equal((await t.request('GET', '/api/v1/webhooks', { key: owner.key })).body.data.length, 2);
});

test('POST /webhooks/test sends a signed webhook.test at once and logs it as a delivery', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  const hook = await register(t, u.key, receiver.url('/test-ok'), ['conversation.created']);
  const res = await t.request('POST', '/api/v1/webhooks/test', { key: u.key, body: { webhookId: hook.id } });
  assert.equal(res.status, 200, res.text);
  const { webhookId, delivered, statusCode, deliveryId } = res.body.data;
  assert.deepEqual({ webhookId, delivered, statusCode }, { webhookId: hook.id, delivered: true, statusCode: 200 });

  const [got] = receiver.on('/test-ok');
  assert.equal(got.headers['x-convo-event'], 'webhook.test');
  assert.equal(got.headers['webhook-id'], deliveryId);
  assert.equal(got.json.event, 'webhook.test');
  assert.deepEqual(got.json.data, { message: 'Test event from Colloquy' });
  assert.equal(verifyWebhook(hook.secret, got.headers, got.body).convo, true);

  const log = await t.request('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { key: u.key });
  assert.equal(log.body.data.length, 1);
  const d = log.body.data[0];
  assert.equal(d.id, deliveryId);
  assert.equal(d.event, 'webhook.test');
  assert.equal(d.status, 'delivered');
  assert.equal(d.attempts, 1);
  assert.equal(d.responseCode, 200);
  assert.equal(d.attemptLog.length, 1);
  assert.equal(d.attemptLog[0].statusCode, 200);

  receiver.respond('/test-fail', () => 500);
  const failing = await register(t, u.key, receiver.url('/test-fail'), ['conversation.created']);
  const fail = await t.request('POST', '/api/v1/webhooks/test', { key: u.key, body: { webhookId: failing.id } });
  assert.deepEqual([fail.body.data.delivered, fail.body.data.statusCode, fail.body.data.error], [false, 500, 'HTTP 500']);

  const port = await closedPort();
  const down = await register(t, u.key, `http://127.0.0.1:${port}/nobody`, ['conversation.created']);
  const none = await t.request('POST', '/api/v1/webhooks/test', { key: u.key, body: { webhookId: down.id } });
  assert.equal(none.status, 200);
  assert.equal(none.body.data.delivered, false);
  assert.equal(none.body.data.statusCode, null);
  assert.match(none.body.data.error, /ECONNREFUSED/);
  const [failed] = (await t.request('GET', `/api/v1/webhooks/${down.id}/deliveries`, { key: u.key })).body.data;
  assert.equal(failed.status, 'failed', 'a test send is not retried');
  assert.equal(failed.nextAttemptAt, null);

  assert.equal((await t.request('POST', '/api/v1/webhooks/test', { key: u.key, body: { webhookId: 'wh_nope' } })).status, 404);
});

test('the delivery log paginates, filters and can show the exact signed body', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  const hook = await register(t, u.key, receiver.url('/log'), ['conversation.created', 'conversation.deleted']);
  const t0 = Date.now();
  for (let i = 0; i < 5; i++) {
    const event = i === 4 ? 'conversation.deleted' : 'conversation.created';
    await enqueueEvents(t.container.db, t.container.newId, u.userId, [{ event, data: { conversationId: `sess_${i}` } }], new Date(t0 + i));
  }
  const page = (q: string) => t.request('GET', `/api/v1/webhooks/${hook.id}/deliveries${q}`, { key: u.key });

  const first = await page('?limit=2');
  assert.equal(first.status, 200);
  assert.equal(first.body.data.length, 2);
  assert.deepEqual(first.body.pagination, { total: 5, limit: 2, offset: 0 });
  assert.equal(first.body.data[0].event, 'conversation.deleted', 'newest first');
  assert.equal(first.body.data[0].status, 'pending');
  assert.equal(first.body.data[0].attempts, 0);
  assert.deepEqual(first.body.data[0].attemptLog, []);
  assert.ok(first.body.data[0].nextAttemptAt);
  assert.equal(first.body.data[0].payload, undefined);

  const last = await page('?limit=2&offset=4');
  assert.equal(last.body.data.length, 1);
  assert.equal(JSON.parse((await page('?limit=1&offset=4&include=payload')).body.data[0].payload).data.conversationId, 'sess_0');
  assert.equal((await page('?status=pending')).body.pagination.total, 5);
  assert.equal((await page('?status=delivered')).body.pagination.total, 0);
  assert.equal((await page('?event=conversation.deleted')).body.pagination.total, 1);

  const one = await t.request('GET', `/api/v1/webhooks/${hook.id}/deliveries/${first.body.data[0].id}?include=attempts,payload`, { key: u.key });
  assert.equal(one.status, 200);
  assert.equal(one.body.data.id, first.body.data[0].id);
  assert.equal(JSON.parse(one.body.data.payload).event, 'conversation.deleted');

  for (const q of ['?limit=0', '?limit=101', '?offset=-1', '?status=lost', '?include=secret', '?event=nope', '?page=2']) {
    const bad = await page(q);
    assert.equal(bad.status, 400, q);
    assert.equal(bad.body.error.code, 'validation_error');
  }
});

test('deleting a webhook drops its queued deliveries; nothing is sent afterwards', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  const hook = await register(t, u.key, receiver.url('/deleted'), ['conversation.created']);
  // A second, live webhook of the same user: its deliveries prove the worker really ran.
  const live = await register(t, u.key, receiver.url('/still-live'), ['conversation.created']);
  assert.equal(await enqueueEvents(t.container.db, t.container.newId, u.userId, [{ event: 'conversation.created', data: { conversationId: 'sess_gone' } }]), 2);
  const rows = await t.container.db.selectFrom('webhook_deliveries').select(['id', 'status']).where('webhook_id', '=', hook.id).execute();
  assert.equal(rows.length, 1);
  await t.request('DELETE', '/api/v1/webhooks', { key: u.key, body: { id: hook.id } });
  const after = await t.container.db.selectFrom('webhook_deliveries').select(['status', 'last_error']).where('id', '=', rows[0].id).executeTakeFirstOrThrow();
  assert.deepEqual(after, { status: 'disabled', last_error: 'webhook deleted' });

  // A new change enqueues for the live webhook only, and the worker sends nothing to the deleted one.
  assert.equal(await enqueueEvents(t.container.db, t.container.newId, u.userId, [{ event: 'conversation.created', data: { conversationId: 'sess_more' } }]), 1);
  const liveStatuses = async () =>
    (await t.container.db.selectFrom('webhook_deliveries').select('status').where('webhook_id', '=', live.id).execute()).map((r) => r.status);
  const worker = await runWebhookWorker(t.container, { listenUrl: t.databaseUrl });
  try {
    await waitFor(async () => {
      const statuses = await liveStatuses();
      return statuses.length === 2 && statuses.every((s) => s === 'delivered');
    }, 'both deliveries to the live webhook');
    // Give a (wrongly) sent delivery to the deleted webhook the same chance to arrive.
    await sleep(200);
  } finally {
    await worker.stop();
  }
  assert.deepEqual(receiver.on('/still-live').map((r) => r.json.data.conversationId).sort(), ['sess_gone', 'sess_more']);
  assert.equal(receiver.on('/deleted').length, 0);
  const deadRows = await t.container.db.selectFrom('webhook_deliveries').select(['status', 'attempts']).where('webhook_id', '=', hook.id).execute();
  assert.deepEqual(deadRows, [{ status: 'disabled', attempts: 0 }]);
});

test('a replay is refused while the endpoint is disabled and while an attempt is in flight', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  const hook = await register(t, u.key, receiver.url('/refused'), ['conversation.created']);
  await enqueueEvents(t.container.db, t.container.newId, u.userId, [{ event: 'conversation.created', data: { conversationId: 'sess_r' } }]);
  const [d] = (await t.request('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { key: u.key })).body.data;
  const replay = () => t.request('POST', `/api/v1/webhooks/${hook.id}/deliveries/${d.id}/replay`, { key: u.key });

  await t.container.db.updateTable('webhook_deliveries').set({ locked_until: new Date(Date.now() + 60_000) }).where('id', '=', d.id).execute();
  const busy = await replay();
  assert.equal(busy.status, 409);
  assert.equal(busy.body.error.code, 'conflict');

  await t.container.db.updateTable('webhook_deliveries').set({ locked_until: null }).where('id', '=', d.id).execute();
  const queued = await replay();
  assert.equal(queued.status, 202, 'a pending delivery is simply made due now');
  assert.equal(queued.body.data.status, 'pending');

  await t.container.db.updateTable('webhooks').set({ disabled_at: new Date(), disabled_reason: 'gone' }).where('id', '=', hook.id).execute();
  const disabled = await replay();
  assert.equal(disabled.status, 409);
  assert.match(disabled.body.error.message, /disabled \(gone\)/);
  const listed = (await t.request('GET', '/api/v1/webhooks', { key: u.key })).body.data.find((w: { id: string }) => w.id === hook.id);
  assert.equal(listed.disabledReason, 'gone');
  assert.ok(listed.disabledAt);
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
