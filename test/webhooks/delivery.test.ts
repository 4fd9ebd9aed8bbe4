// Delivery end to end: a running worker sends to a real receiver on 127.0.0.1, with the retry
// schedule shortened to 0,1,1 seconds through COLLOQUY_WEBHOOK_RETRY_SCHEDULE.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { enqueueEvents, type OutboxEvent } from '../../src/domain/webhooks/outbox.js';
import { eventDataSchemas, parsePayload, verifyWebhook, WEBHOOK_EVENTS } from '../../src/integrations/webhooks/index.js';
import { meetingBody } from '../helpers/app.js';
import { register, startHarness, waitFor, type Received, type WebhookHarness } from './helpers.js';

let h: WebhookHarness;
before(async () => {
  h = await startHarness({ env: { COLLOQUY_WEBHOOK_RETRY_SCHEDULE: '0,1,1' } });
});
after(async () => {
  await h.close();
});

/** Recomputes both signatures from scratch, without the project's signing module. */
function assertSignedIndependently(secret: string, r: Received) {
  const convo = createHmac('sha256', secret).update(r.body).digest('hex');
  assert.equal(r.headers['x-convo-signature'], convo);
  const id = r.headers['webhook-id'] as string;
  const ts = r.headers['webhook-timestamp'] as string;
  assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 30, 'timestamp is now-ish');
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const standard = 'v1,' + createHmac('sha256', key).update(`${id}.${ts}.`).update(r.body).digest('base64');
  assert.equal(r.headers['webhook-signature'], standard);
  assert.equal(r.headers['x-convo-event'], r.json.event);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.deepEqual(verifyWebhook(secret, r.headers, r.body), { ok: true, id, timestamp: Number(ts), convo: true });
}

const deliveriesOf = async (key: string, webhookId: string) =>
  (await h.t.request('GET', `/api/v1/webhooks/${webhookId}/deliveries?limit=100`, { key })).body.data as Array<Record<string, any>>;

test('conversation events arrive with the documented fields, in order, and both signatures verify', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  const hook = await register(t, u.key, receiver.url('/conv'), [...WEBHOOK_EVENTS]);
  const events = () => receiver.on('/conv');

  const meeting = await t.request('POST', '/api/v1/conversations', { key: u.key, body: meetingBody(3) });
  assert.equal(meeting.status, 200, meeting.text);
  const id = meeting.body.data.id;
  await waitFor(() => events().length >= 2, 'created and transcript.ready');
  const byEvent = Object.fromEntries(events().map((r) => [r.json.event, r.json.data]));
  assert.deepEqual(byEvent, {
    'conversation.created': { conversationId: id },
    'transcript.ready': { conversationId: id, segmentCount: 3 },
  });
  // Events of one change are queued in the order they were emitted, and sent in that order.
  const firstTwo = await waitFor(async () => {
    const log = await deliveriesOf(u.key, hook.id);
    return log.length === 2 && log.every((d) => d.status === 'delivered') && log;
  }, 'both attempts to be recorded');
  const [ready, createdEvt] = firstTwo;
  assert.deepEqual([createdEvt.event, ready.event], ['conversation.created', 'transcript.ready'], 'the log lists newest first');
  assert.ok(Date.parse(createdEvt.lastAttemptAt) <= Date.parse(ready.lastAttemptAt));

  assert.equal((await t.request('PATCH', `/api/v1/conversations/${id}`, { key: u.key, body: { title: 'Renamed review' } })).status, 200);
  await waitFor(() => events().length >= 3, 'conversation.updated');
  assert.deepEqual(events()[2].json.data, { conversationId: id, title: 'Renamed review', changedFields: ['title'] });

  const chat = await t.request('POST', '/api/v1/conversations', { key: u.key, body: { kind: 'chat', title: 'Support chat' } });
  const chatId = chat.body.data.id;
  await waitFor(() => events().length >= 4, 'the chat was created');
  const append = await t.request('POST', `/api/v1/conversations/${chatId}/messages`, {
    key: u.key,
    body: { messages: [{ role: 'user', content: 'Hello, my order is late' }], metadata: { channel: 'web' } },
  });
  assert.equal(append.status, 200, append.text);
  await waitFor(() => events().length >= 5, 'conversation.updated after append');
  const appended = events()[4].json;
  assert.equal(appended.event, 'conversation.updated');
  assert.equal(appended.data.conversationId, chatId);
  assert.equal(appended.data.title, 'Support chat');
  assert.deepEqual(appended.data.changedFields, ['messages', 'segmentCount', 'metadata']);

  assert.equal((await t.request('DELETE', `/api/v1/conversations/${id}`, { key: u.key })).status, 200);
  await waitFor(() => events().length >= 6, 'conversation.deleted');
  assert.deepEqual([events()[5].json.event, events()[5].json.data], ['conversation.deleted', { conversationId: id }]);

  for (const r of events()) {
    assertSignedIndependently(hook.secret, r);
    const payload = parsePayload(r.body);
    assert.deepEqual(Object.keys(JSON.parse(r.text)), ['event', 'data', 'timestamp']);
    assert.ok(!Number.isNaN(Date.parse(payload.timestamp)));
  }
  assert.equal(new Set(events().map((r) => r.headers['webhook-id'])).size, events().length, 'one webhook-id per event');
  // The receiver may see a request a moment before its attempt is written back.
  const log = await waitFor(async () => {
    const rows = await deliveriesOf(u.key, hook.id);
    return rows.length === events().length && rows.every((d) => d.status === 'delivered') && rows;
  }, 'every attempt to be recorded');
  assert.deepEqual(new Set(log.map((d) => d.id)), new Set(events().map((r) => r.headers['webhook-id'])), 'webhook-id is the delivery id');
  assert.ok(log.every((d) => d.attempts === 1 && d.responseCode === 200 && d.deliveredAt));
});

test('only subscribed events are sent, and every catalogue event flows through the outbox', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  const all = await register(t, u.key, receiver.url('/all'), [...WEBHOOK_EVENTS]);
  const some = await register(t, u.key, receiver.url('/some'), ['conversation.deleted', 'transcript.failed']);
  const samples: OutboxEvent[] = [
    { event: 'conversation.created', data: { conversationId: 'sess_a1' } },
    { event: 'conversation.updated', data: { conversationId: 'sess_a1', title: 'Q1 Planning Review' } },
    { event: 'conversation.keypoints.ready', data: { conversationId: 'sess_a1', title: 'Q1 Planning Review' } },
    { event: 'conversation.summary.ready', data: { conversationId: 'sess_a1', title: 'Q1 Planning Review', sectionCount: 4 } },
    { event: 'conversation.action_items.ready', data: { conversationId: 'sess_a1', actionItemCount: 3 } },
    { event: 'conversation.feedback.ready', data: { conversationId: 'sess_a1', overallScore: 7.5 } },
    { event: 'conversation.shared', data: { conversationId: 'sess_a1', shareUrl: 'https://colloquy.example/shared/abc' } },
    { event: 'conversation.deleted', data: { conversationId: 'sess_a1' } },
    { event: 'transcript.ready', data: { conversationId: 'sess_a1', segmentCount: 12 } },
    { event: 'transcript.failed', data: { conversationId: 'sess_a1', error: 'Could not parse the file' } },
    {
      event: 'action_item.updated',
      data: {
        actionItemId: 'act_a1', conversationId: 'sess_a1', item: 'Send the handover doc', status: 'done', owner: 'Priya', dueDate: null,
        suggestedStatus: null, mentions: [], changedFields: ['status'],
      },
    },
    { event: 'webhook.test', data: { message: 'hello' } },
  ];
  assert.deepEqual(samples.map((s) => s.event), [...WEBHOOK_EVENTS], 'the sample covers the whole catalogue');
  for (const s of samples) assert.ok(eventDataSchemas[s.event].safeParse(s.data).success, s.event);

  await t.container.db.transaction().execute((trx) => enqueueEvents(trx, t.container.newId, u.userId, samples));
  await waitFor(() => receiver.on('/all').length >= samples.length && receiver.on('/some').length >= 2, 'all events');
  // Up to four requests to one endpoint are in flight at once, so arrival order may vary a little.
  const byName = (rs: Received[]) => rs.map((r) => [r.headers['x-convo-event'], r.json.data] as const).sort(([a], [b]) => String(a).localeCompare(String(b)));
  assert.deepEqual(
    byName(receiver.on('/all')),
    samples.map((s) => [s.event, s.data] as const).sort(([a], [b]) => a.localeCompare(b)),
  );
  assert.deepEqual(receiver.on('/some').map((r) => r.json.event).sort(), ['conversation.deleted', 'transcript.failed']);
  for (const r of receiver.on('/all')) {
    assertSignedIndependently(all.secret, r);
    parsePayload(r.body);
  }
  for (const r of receiver.on('/some')) assertSignedIndependently(some.secret, r);
});

test('a receiver failing twice gets the event on the third attempt, under one webhook-id', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  receiver.respond('/flaky', (_r, nth) => (nth === 1 ? 500 : nth === 2 ? 503 : 200));
  const hook = await register(t, u.key, receiver.url('/flaky'), ['conversation.created']);
  const conv = await t.request('POST', '/api/v1/conversations', { key: u.key, body: { title: 'Retry me' } });

  await waitFor(() => receiver.on('/flaky').length >= 3, 'three attempts');
  const got = receiver.on('/flaky');
  assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 1, 'the same webhook-id on every attempt');
  assert.equal(new Set(got.map((r) => r.text)).size, 1, 'the same bytes on every attempt');
  assert.equal(got[0].json.data.conversationId, conv.body.data.id);
  for (const r of got) assertSignedIndependently(hook.secret, r);
  assert.ok(got[1].at - got[0].at >= 950, `second attempt ~1 s after the first (${got[1].at - got[0].at} ms)`);
  assert.ok(got[2].at - got[1].at >= 950, `third attempt ~1 s after the second (${got[2].at - got[1].at} ms)`);

  const d = await waitFor(async () => (await deliveriesOf(u.key, hook.id)).find((x) => x.status === 'delivered'), 'delivered status');
  assert.equal(d.id, got[0].headers['webhook-id']);
  assert.equal(d.attempts, 3);
  assert.equal(d.responseCode, 200);
  assert.equal(d.lastError, null);
  assert.deepEqual(d.attemptLog.map((a: any) => [a.attempt, a.statusCode, a.error]), [
    [1, 500, 'HTTP 500'],
    [2, 503, 'HTTP 503'],
    [3, 200, null],
  ]);
  const row = await t.container.db.selectFrom('webhooks').select('failing_since').where('id', '=', hook.id).executeTakeFirstOrThrow();
  assert.equal(row.failing_since, null, 'a success ends the failing streak');
});

test('an exhausted schedule fails the delivery; replay re-sends it with the same webhook-id and body', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  let healthy = false;
  receiver.respond('/down', () => (healthy ? 200 : 500));
  const hook = await register(t, u.key, receiver.url('/down'), ['conversation.created']);
  await t.request('POST', '/api/v1/conversations', { key: u.key, body: { title: 'Lost?' } });

  const failed = await waitFor(async () => (await deliveriesOf(u.key, hook.id)).find((x) => x.status === 'failed'), 'failed status');
  assert.equal(failed.attempts, 3);
  assert.equal(failed.nextAttemptAt, null);
  assert.equal(failed.lastError, 'HTTP 500');
  assert.equal(failed.attemptLog.length, 3);
  assert.equal(receiver.on('/down').length, 3);
  const since = await t.container.db.selectFrom('webhooks').select('failing_since').where('id', '=', hook.id).executeTakeFirstOrThrow();
  assert.ok(since.failing_since, 'failures start the failing streak');

  healthy = true;
  const replay = await t.request('POST', `/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/replay`, { key: u.key });
  assert.equal(replay.status, 202, replay.text);
  assert.equal(replay.body.data.id, failed.id);
  assert.equal(replay.body.data.status, 'pending');
  await waitFor(() => receiver.on('/down').length >= 4, 'the replayed attempt');
  const [first, , , replayed] = receiver.on('/down');
  assert.equal(replayed.headers['webhook-id'], first.headers['webhook-id']);
  assert.equal(replayed.text, first.text);
  assertSignedIndependently(hook.secret, replayed);

  const done = await waitFor(async () => (await deliveriesOf(u.key, hook.id)).find((x) => x.status === 'delivered'), 'delivered after replay');
  assert.equal(done.attempts, 4);
  assert.deepEqual(done.attemptLog.map((a: any) => a.statusCode), [500, 500, 500, 200]);

  // A delivered one can be replayed too (a receiver that lost what it stored, say).
  const again = await t.request('POST', `/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/replay`, { key: u.key });
  assert.equal(again.status, 202);
  await waitFor(() => receiver.on('/down').length >= 5, 'the second replay');
  assert.equal(receiver.on('/down')[4].headers['webhook-id'], first.headers['webhook-id']);
});

test('Retry-After on 429 and 503 pushes the next attempt later than the schedule', async () => {
  const { t, receiver } = h;
  const u = await t.user('enterprise');
  receiver.respond('/busy', (_r, nth) => (nth === 1 ? [429, { 'retry-after': '3' }] : 200));
  receiver.respond('/unavailable', (_r, nth) => (nth === 1 ? [503, { 'retry-after': new Date(Date.now() + 3_000).toUTCString() }] : 200));
  const busy = await register(t, u.key, receiver.url('/busy'), ['conversation.created']);
  await register(t, u.key, receiver.url('/unavailable'), ['conversation.created']);
  await t.request('POST', '/api/v1/conversations', { key: u.key, body: { title: 'Later please' } });

  const first = await waitFor(async () => (await deliveriesOf(u.key, busy.id)).find((x) => x.attempts === 1), 'the first attempt');
  assert.equal(first.status, 'pending');
  assert.equal(first.responseCode, 429);
  const wait = Date.parse(first.nextAttemptAt) - Date.parse(first.lastAttemptAt);
  assert.ok(wait >= 2_900 && wait < 8_000, `next attempt ${wait} ms after the first, as Retry-After asked (schedule: 1 s)`);

  await waitFor(() => receiver.on('/busy').length >= 2 && receiver.on('/unavailable').length >= 2, 'second attempts', 10_000);
  for (const path of ['/busy', '/unavailable']) {
    const [a, b] = receiver.on(path);
    assert.ok(b.at - a.at >= 1_900, `${path}: ${b.at - a.at} ms between attempts`);
    assert.equal(a.headers['webhook-id'], b.headers['webhook-id']);
  }
});

test('a 410 disables the endpoint and parks everything still queued for it', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  receiver.respond('/gone', () => 410);
  const hook = await register(t, u.key, receiver.url('/gone'), ['conversation.created', 'transcript.ready']);
  await t.request('POST', '/api/v1/conversations', { key: u.key, body: meetingBody(2) });

  const listed = await waitFor(async () => {
    const list = (await t.request('GET', '/api/v1/webhooks', { key: u.key })).body.data;
    return list.find((w: any) => w.id === hook.id && w.disabledAt);
  }, 'the webhook to be disabled');
  assert.equal(listed.disabledReason, 'gone');

  // A request still out when the endpoint was disabled is recorded when it returns (the delivery
  // is parked first): wait until every request the receiver got is in the log.
  const log = await waitFor(async () => {
    const rows = await deliveriesOf(u.key, hook.id);
    const recorded = rows.filter((d) => d.attempts > 0).length;
    return rows.length === 2 && rows.every((d) => d.status === 'disabled') && recorded === receiver.on('/gone').length && rows;
  }, 'both deliveries disabled, every request made recorded');
  const attempted = log.filter((d) => d.attempts > 0);
  // Both events may have been in flight together; neither is retried.
  assert.ok(attempted.length >= 1 && attempted.every((d) => d.responseCode === 410 && d.attempts === 1));
  const sent = receiver.on('/gone').length;
  assert.equal(sent, attempted.length);

  // New changes are no longer queued for a disabled endpoint.
  await t.request('POST', '/api/v1/conversations', { key: u.key, body: { title: 'After 410' } });
  assert.equal((await deliveriesOf(u.key, hook.id)).length, 2);
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal(receiver.on('/gone').length, sent, 'nothing more was sent');
});

test('an endpoint failing for five days is disabled; a success resets the streak', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  const db = t.container.db;
  receiver.respond('/dying', () => 500);
  const dying = await register(t, u.key, receiver.url('/dying'), ['conversation.created']);
  const recovering = await register(t, u.key, receiver.url('/recovering'), ['conversation.created']);
  const day = 24 * 3600 * 1000;
  await db.updateTable('webhooks').set({ failing_since: new Date(Date.now() - 5 * day - 60_000) }).where('id', '=', dying.id).execute();
  await db.updateTable('webhooks').set({ failing_since: new Date(Date.now() - 4 * day) }).where('id', '=', recovering.id).execute();
  await t.request('POST', '/api/v1/conversations', { key: u.key, body: { title: 'Five days' } });

  const disabled = await waitFor(async () => {
    const list = (await t.request('GET', '/api/v1/webhooks', { key: u.key })).body.data;
    return list.find((w: any) => w.id === dying.id && w.disabledAt);
  }, 'the failing webhook to be disabled');
  assert.equal(disabled.disabledReason, 'failing_too_long');
  await waitFor(() => receiver.on('/recovering').length === 1, 'the healthy endpoint');
  const healed = await waitFor(
    async () => (await db.selectFrom('webhooks').select('failing_since').where('id', '=', recovering.id).executeTakeFirstOrThrow()).failing_since === null,
    'failing_since reset',
  );
  assert.ok(healed);
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal(receiver.on('/dying').length, 1, 'no retries once disabled');
});

test('redirects are not followed: a 3xx counts as a failed attempt', async () => {
  const { t, receiver } = h;
  const u = await t.user('professional');
  receiver.respond('/moved', () => [307, { location: receiver.url('/target') }]);
  const hook = await register(t, u.key, receiver.url('/moved'), ['conversation.created']);
  await t.request('POST', '/api/v1/conversations', { key: u.key, body: { title: 'Moved' } });
  const d = await waitFor(async () => (await deliveriesOf(u.key, hook.id)).find((x) => x.attempts >= 1), 'the first attempt');
  assert.equal(d.status, 'pending', 'retried later like any failure');
  assert.equal(d.responseCode, 307);
  assert.equal(d.lastError, 'HTTP 307 (redirects are not followed)');
  await t.request('DELETE', '/api/v1/webhooks', { key: u.key, body: { id: hook.id } });
  assert.equal(receiver.on('/target').length, 0);
});
