// In-process API suite, part 2: appending messages (order, status transitions, metadata merge,
// Prefer: return=minimal, the conversation.updated event) and idempotent creates.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { assertData, assertError, assertValidation, countRows } from './support.js';

describe(`append messages (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;
  let userId: string;

  before(async () => {
    t = await startTestApp();
    ({ key, userId } = await t.user('professional'));
  });
  after(async () => {
    await t?.close();
  });

  const open = async (body: Record<string, unknown> = {}) =>
    assertData(await t.request('POST', '/api/v1/conversations', { key, body: { status: 'active', promptId: 'prompt_live', ...body } }));
  const append = (id: string, body: unknown, headers?: Record<string, string>) => t.request('POST', `/api/v1/conversations/${id}/messages`, { key, body, headers });
  const segmentsOf = async (id: string) => assertData(await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key })).segments as any[];

  test('appends keep order and return the accumulated conversation', async () => {
    const c = await open({ metadata: { sessionId: 'sess_abc' } });
    const r1 = assertData(
      await append(c.id, {
        messages: [
          { role: 'user', content: 'Can you check my order status?' },
          { role: 'assistant', content: "Sure — what's your order number?", model: 'gpt-4o', tokens: 9 },
        ],
      }),
    );
    assert.equal(r1.id, c.id);
    assert.equal(r1.userId, userId);
    assert.equal(r1.status, 'active', '"active" is the default and changes nothing');
    assert.equal(r1.segmentCount, 2);
    assert.equal(r1.content, "User: Can you check my order status?\nAssistant: Sure — what's your order number?");
    assert.deepEqual(
      r1.messages.map((m: any) => [m.role, m.content]),
      [
        ['user', 'Can you check my order status?'],
        ['assistant', "Sure — what's your order number?"],
      ],
    );
    assert.equal(r1.messages[1].model, 'gpt-4o');
    assert.equal(r1.messages[1].tokens, 9);
    assert.deepEqual(r1.metadata, { sessionId: 'sess_abc' });

    const r2 = assertData(await append(c.id, { messages: [{ role: 'user', content: 'It is 1234.' }] }));
    assert.equal(r2.segmentCount, 3);
    assert.equal(r2.messages.length, 3);
    assert.equal(r2.messages[2].content, 'It is 1234.');
    const segs = await segmentsOf(c.id);
    assert.deepEqual(
      segs.map((s) => [s.index, s.role, s.text]),
      [
        [0, 'user', 'Can you check my order status?'],
        [1, 'assistant', "Sure — what's your order number?"],
        [2, 'user', 'It is 1234.'],
      ],
    );
  });

  test('status transitions: active → in_progress → completed, then 409 conflict on any change', async () => {
    const c = await open();
    assert.equal(assertData(await append(c.id, { messages: [{ role: 'user', content: 'one' }], status: 'in_progress' })).status, 'in_progress');
    assert.equal(assertData(await append(c.id, { messages: [{ role: 'assistant', content: 'two' }], status: 'active' })).status, 'in_progress', 'active = no change');
    const done = assertData(await append(c.id, { messages: [{ role: 'user', content: 'three' }], status: 'completed' }));
    assert.equal(done.status, 'completed');
    assert.equal(done.segmentCount, 3);

    const before = await countRows(t.container.db);
    for (const status of ['in_progress', 'abandoned']) {
      const res = await append(c.id, { messages: [{ role: 'user', content: `reopen as ${status}` }], status });
      assertError(res, 409, 'conflict', status);
      assert.match(res.body.error.message, /completed/);
    }
    assert.deepEqual(await countRows(t.container.db), before, 'a rejected append writes nothing');
    const after = assertData(await t.request('GET', `/api/v1/conversations/${c.id}`, { key }));
    assert.equal(after.status, 'completed');
    assert.equal(after.segmentCount, 3);
    // Repeating "completed" (or the no-op "active") is not a change.
    assert.equal(assertData(await append(c.id, { messages: [{ role: 'assistant', content: 'late reply' }], status: 'completed' })).segmentCount, 4);

    const gone = await open();
    assertData(await append(gone.id, { messages: [{ role: 'user', content: 'bye' }], status: 'abandoned' }));
    assertError(await append(gone.id, { messages: [{ role: 'user', content: 'back' }], status: 'completed' }), 409, 'conflict');
  });

  test('metadata is shallow-merged', async () => {
    const c = await open({ metadata: { a: 1, nested: { x: 1 }, keep: 'yes' } });
    const r = assertData(await append(c.id, { messages: [{ role: 'user', content: 'hi' }], metadata: { b: 2, nested: { y: 2 }, a: 'one' } }));
    assert.deepEqual(r.metadata, { a: 'one', b: 2, nested: { y: 2 }, keep: 'yes' });
    const again = assertData(await append(c.id, { messages: [{ role: 'assistant', content: 'hello' }] }));
    assert.deepEqual(again.metadata, { a: 'one', b: 2, nested: { y: 2 }, keep: 'yes' }, 'no metadata = unchanged');
    assert.deepEqual(assertData(await t.request('GET', `/api/v1/conversations/${c.id}`, { key })).metadata, again.metadata);
  });

  test('Prefer: return=minimal leaves out the accumulated messages', async () => {
    const c = await open();
    assertData(await append(c.id, { messages: [{ role: 'user', content: 'first' }] }));
    const res = await append(c.id, { messages: [{ role: 'assistant', content: 'second' }] }, { prefer: 'return=minimal' });
    const r = assertData(res);
    assert.ok(!('messages' in r), 'no messages');
    assert.ok(!('content' in r), 'no content');
    assert.equal(r.id, c.id);
    assert.equal(r.userId, userId);
    assert.equal(r.segmentCount, 2);
    assert.equal((await segmentsOf(c.id)).length, 2);
    const full = assertData(await append(c.id, { messages: [{ role: 'user', content: 'third' }] }, { prefer: 'return=representation' }));
    assert.equal(full.messages.length, 3);
  });

  test('tool messages may have empty content; timestamps move endTime forward', async () => {
    const c = await open();
    const r = assertData(
      await append(c.id, {
        messages: [
          { role: 'assistant', content: 'Looking it up', timestamp: '2030-01-01T10:00:00Z' },
          { role: 'tool', content: '', toolCalls: [{ name: 'lookup' }], timestamp: '2030-01-01T10:00:02Z' },
        ],
      }),
    );
    assert.equal(r.segmentCount, 2);
    assert.equal(r.endTime, '2030-01-01T10:00:02.000Z');
    const segs = await segmentsOf(c.id);
    assert.deepEqual(segs[1].toolCalls, [{ name: 'lookup' }]);
    assert.equal(segs[1].timestamp, '2030-01-01T10:00:02.000Z');
  });

  test('a first timed append to an untimed meeting starts it at the earliest timestamp, in any order', async () => {
    const c = assertData(await t.request('POST', '/api/v1/conversations', { key, body: { kind: 'meeting', status: 'in_progress', title: 'Live notes' } }));
    assert.equal(c.startTime, null);
    const r = assertData(
      await append(c.id, {
        messages: [
          { role: 'user', content: 'sent later, listed first', timestamp: '2030-01-01T10:00:05Z' },
          { role: 'assistant', content: 'sent first', timestamp: '2030-01-01T10:00:01Z' },
        ],
      }),
    );
    assert.equal(r.startTime, '2030-01-01T10:00:01.000Z');
    assert.equal(r.endTime, '2030-01-01T10:00:05.000Z');
  });

  test('bad bodies are 400 / 413 and write nothing; unknown ids are 404', async () => {
    const c = await open();
    assertData(await append(c.id, { messages: [{ role: 'user', content: 'seed' }] }));
    const before = await countRows(t.container.db);
    assertValidation(await append(c.id, {}), 'messages');
    assertValidation(await append(c.id, { messages: [] }), 'messages');
    assertValidation(await append(c.id, { messages: 'User: hi' }), 'messages');
    assertValidation(await append(c.id, { messages: [{ role: 'bot', content: 'x' }] }), 'messages.0.role');
    assertValidation(await append(c.id, { messages: [{ role: 'user' }] }), 'messages.0.content');
    assertValidation(await append(c.id, { messages: [{ role: 'user', content: 'ok' }, { role: 'user', content: 'x', tokens: -1 }] }), 'messages.1.tokens');
    assertValidation(await append(c.id, { messages: [{ role: 'user', content: 'x', timestamp: 'noon' }] }), 'messages.0.timestamp');
    assertValidation(await append(c.id, { messages: [{ role: 'user', content: 'x' }], status: 'paused' }), 'status');
    assertValidation(await append(c.id, { messages: [{ role: 'user', content: 'x' }], metadata: 'tag' }), 'metadata');
    assertValidation(await append(c.id, { messages: [{ role: 'user', content: 'x' }], title: 'nope' }), 'title');
    assertValidation(await append(c.id, '[{"role":"user","content":"x"}]'), 'body');
    assertValidation(await append(c.id, '{"messages": [}'), 'body');
    const many = Array.from({ length: 501 }, (_, i) => ({ role: 'user', content: `m${i}` }));
    assertError(await append(c.id, { messages: many }), 413, 'payload_too_large');
    assertError(await append(c.id, { messages: [{ role: 'user', content: 'z'.repeat(100 * 1024 + 1) }] }), 413, 'payload_too_large');
    assertError(await append('sess_missing', { messages: [{ role: 'user', content: 'x' }] }), 404, 'not_found');
    assert.deepEqual(await countRows(t.container.db), before);
    assert.equal((await segmentsOf(c.id)).length, 1);
    // Exactly 500 messages is within the limit.
    assert.equal(assertData(await append(c.id, { messages: many.slice(0, 500) }, { prefer: 'return=minimal' })).segmentCount, 501);
  });

  test('every append records conversation.updated with the changed fields', async () => {
    // A subscribed webhook makes the outbox visible (the delivery worker is not running in this suite).
    await t.container.db
      .insertInto('webhooks')
      .values({ id: 'wh_appendtest', user_id: userId, url: 'https://hooks.example.com/x', events: JSON.stringify(['conversation.updated']), secret: 'whsec_x' })
      .execute();
    try {
      const c = await open();
      assertData(await append(c.id, { messages: [{ role: 'user', content: 'x' }], status: 'completed', metadata: { k: 1 } }));
      const rows = await t.container.db.selectFrom('webhook_deliveries').select(['event', 'payload']).where('webhook_id', '=', 'wh_appendtest').execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0].event, 'conversation.updated');
      const payload = JSON.parse(rows[0].payload);
      assert.equal(payload.event, 'conversation.updated');
      assert.equal(payload.data.conversationId, c.id);
      assert.equal(payload.data.title, c.title);
      assert.deepEqual([...payload.data.changedFields].sort(), ['messages', 'metadata', 'segmentCount', 'status']);
      // A rejected append (409) fires nothing.
      assertError(await append(c.id, { messages: [{ role: 'user', content: 'y' }], status: 'abandoned' }), 409, 'conflict');
      assert.equal((await t.container.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', 'wh_appendtest').execute()).length, 1);
    } finally {
      await sql`delete from webhooks where id = 'wh_appendtest'`.execute(t.container.db);
    }
  });
});

describe(`idempotent creates (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;

  before(async () => {
    t = await startTestApp();
    ({ key } = await t.user('enterprise'));
  });
  after(async () => {
    await t?.close();
  });

  const create = (body: unknown, headers?: Record<string, string>, k = key) => t.request('POST', '/api/v1/conversations', { key: k, body, headers });
  const body = (n = 1) => ({ promptId: 'prompt_123', content: `User: Hello ${n}\nAssistant: Hi! How can I help?`, llmModel: 'gpt-4o' });

  test('body idempotencyKey: a repeat returns the same conversation with Idempotent-Replayed', async () => {
    const before = await countRows(t.container.db);
    const first = await create({ ...body(), idempotencyKey: 'session_abc123_1705764600' });
    const c = assertData(first);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await create({ ...body(), idempotencyKey: 'session_abc123_1705764600' });
    const c2 = assertData(again);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(c2.id, c.id);
    assert.equal(c2.createdAt, c.createdAt);
    assert.deepEqual(c2._links, c._links);
    const after = await countRows(t.container.db);
    assert.equal(after.conversations, before.conversations + 1);
    assert.equal(after.segments, before.segments + 2);
    assert.equal(after.idempotency_keys, before.idempotency_keys + 1);
  });

  test('Idempotency-Key header works the same, and shares the namespace with the body field', async () => {
    const first = assertData(await create(body(2), { 'idempotency-key': 'hdr-1' }));
    const again = await create(body(2), { 'idempotency-key': 'hdr-1' });
    assert.equal(assertData(again).id, first.id);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const viaBody = await create({ ...body(2), idempotencyKey: 'hdr-1' });
    assert.equal(assertData(viaBody).id, first.id);
    assert.equal(viaBody.headers.get('idempotent-replayed'), 'true');
    const both = await create({ ...body(2), idempotencyKey: 'hdr-1' }, { 'idempotency-key': 'hdr-1' });
    assert.equal(assertData(both).id, first.id);
    assertValidation(await create({ ...body(2), idempotencyKey: 'hdr-1' }, { 'idempotency-key': 'hdr-2' }), 'idempotencyKey');
    assertValidation(await create(body(2), { 'idempotency-key': 'k'.repeat(256) }), 'idempotency-key');
  });

  test('the same idempotencyKey with another body returns the existing conversation, flagged Idempotency-Mismatch, and writes nothing', async () => {
    const c = assertData(await create({ ...body(3), idempotencyKey: 'conflict-key' }));
    const before = await countRows(t.container.db);
    // Converra: "the existing conversation is returned (no duplicate created)".
    for (const other of [{ ...body(4) }, { ...body(3), title: 'Different' }, { ...body(3), status: 'abandoned' }]) {
      const res = await create({ ...other, idempotencyKey: 'conflict-key' });
      const got = assertData(res);
      assert.equal(got.id, c.id);
      assert.equal(got.title, c.title);
      assert.equal(got.status, c.status);
      assert.equal(res.headers.get('idempotent-replayed'), 'true');
      assert.equal(res.headers.get('idempotency-mismatch'), 'true');
    }
    assert.deepEqual(await countRows(t.container.db), before);
    // The same body replays without the mismatch flag; key order in the body does not matter.
    const same = await create({ ...body(3), idempotencyKey: 'conflict-key' });
    assert.equal(assertData(same).id, c.id);
    assert.equal(same.headers.get('idempotent-replayed'), 'true');
    assert.equal(same.headers.get('idempotency-mismatch'), null);
    const reordered = await create({ idempotencyKey: 'conflict-key', llmModel: 'gpt-4o', content: body(3).content, promptId: 'prompt_123' });
    assert.equal(assertData(reordered).id, c.id);
    assert.equal(reordered.headers.get('idempotency-mismatch'), null);
  });

  test('the same Idempotency-Key header with another body is 409 idempotency_conflict and writes nothing', async () => {
    const c = assertData(await create(body(7), { 'idempotency-key': 'header-conflict' }));
    const before = await countRows(t.container.db);
    for (const res of [
      await create(body(8), { 'idempotency-key': 'header-conflict' }),
      // Header and body field together (equal) are the header form: still 409.
      await create({ ...body(8), idempotencyKey: 'header-conflict' }, { 'idempotency-key': 'header-conflict' }),
    ]) {
      assertError(res, 409, 'idempotency_conflict');
      assert.equal(res.headers.get('idempotent-replayed'), null);
      assert.equal(res.headers.get('idempotency-mismatch'), null);
    }
    assert.deepEqual(await countRows(t.container.db), before);
    assert.equal(assertData(await create(body(7), { 'idempotency-key': 'header-conflict' })).id, c.id);
  });

  test('keys are scoped per user; requests without a key never replay', async () => {
    const other = await t.user('professional');
    const mine = assertData(await create({ ...body(5), idempotencyKey: 'shared-key' }));
    const theirs = await create({ ...body(5), idempotencyKey: 'shared-key' }, undefined, other.key);
    assert.notEqual(assertData(theirs).id, mine.id);
    assert.equal(theirs.headers.get('idempotent-replayed'), null);
    const a = assertData(await create(body(5)));
    const b = assertData(await create(body(5)));
    assert.notEqual(a.id, b.id);
  });

  test('concurrent requests with one key create exactly one conversation', async () => {
    const before = await countRows(t.container.db);
    const results = await Promise.all(Array.from({ length: 20 }, () => create({ ...body(6), idempotencyKey: 'race-key' })));
    for (const r of results) assert.equal(r.status, 200, r.text);
    const ids = new Set(results.map((r) => r.body.data.id));
    assert.equal(ids.size, 1, 'every request got the same conversation');
    assert.equal(results.filter((r) => r.headers.get('idempotent-replayed') !== 'true').length, 1, 'exactly one original');
    const after = await countRows(t.container.db);
    assert.equal(after.conversations, before.conversations + 1);
    assert.equal(after.segments, before.segments + 2);
    assert.equal(after.idempotency_keys, before.idempotency_keys + 1);
  });

  test('concurrent requests with one key and different bodies: one wins, the rest get it back (409 with the header)', async () => {
    const before = await countRows(t.container.db);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => create({ ...body(100 + i), idempotencyKey: 'race-key-2' })));
    for (const r of results) assert.equal(r.status, 200, r.text);
    assert.equal(new Set(results.map((r) => r.body.data.id)).size, 1, 'every request got the winner');
    assert.equal(results.filter((r) => r.headers.get('idempotent-replayed') !== 'true').length, 1, 'exactly one original');
    assert.equal(results.filter((r) => r.headers.get('idempotency-mismatch') === 'true').length, 9);
    assert.equal((await countRows(t.container.db)).conversations, before.conversations + 1);

    const viaHeader = await Promise.all(Array.from({ length: 10 }, (_, i) => create(body(200 + i), { 'idempotency-key': 'race-key-3' })));
    const ok = viaHeader.filter((r) => r.status === 200);
    const conflicts = viaHeader.filter((r) => r.status === 409);
    assert.equal(ok.length, 1, viaHeader.map((r) => r.status).join(','));
    assert.equal(conflicts.length, 9);
    for (const r of conflicts) assert.equal(r.body.error.code, 'idempotency_conflict');
    assert.equal((await countRows(t.container.db)).conversations, before.conversations + 2);
  });
});
