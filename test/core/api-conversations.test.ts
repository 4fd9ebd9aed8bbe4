// In-process API suite, part 1: create (every content form), list, get, PATCH, soft delete / restore,
// transcript, limits (413), validation (400 with details), envelope and unknown routes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, meetingBody, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { assertData, assertError, assertValidation, countRows } from './support.js';

const KB = 1024;

describe(`conversations API (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;

  before(async () => {
    t = await startTestApp();
    ({ key } = await t.user('professional'));
  });
  after(async () => {
    await t?.close();
  });

  const create = (body: unknown, k = key, headers?: Record<string, string>) => t.request('POST', '/api/v1/conversations', { key: k, body, headers });
  const transcriptOf = async (id: string, k = key) => assertData(await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key: k }));

  describe('create from every content form', () => {
    for (const [userLabel, assistantLabel] of [
      ['User', 'Assistant'],
      ['Human', 'AI'],
      ['Customer', 'Agent'],
    ]) {
      test(`role-labelled text ${userLabel}:/${assistantLabel}:`, async () => {
        const content = `${userLabel}: Hello, I need help with my order\n${assistantLabel}: Hi! What is the order number?\n${userLabel}: It is 4521.\nIt shipped last week.`;
        const res = await create({ promptId: 'prompt_123', content, llmModel: 'gpt-4o', companyName: 'Acme' });
        const c = assertData(res);
        assert.match(c.id, /^sess_[0-9A-Za-z]{20}$/);
        assert.equal(c.kind, 'chat');
        assert.equal(c.status, 'completed');
        assert.equal(c.segmentCount, 3);
        assert.equal(c.promptId, 'prompt_123');
        assert.equal(c.llmModel, 'gpt-4o');
        assert.equal(c.companyName, 'Acme');
        assert.equal(c.title, 'Hello, I need help with my order');
        assert.equal(c.hasInsights, false);
        assert.deepEqual(c._links.appendMessages, {
          href: `/api/v1/conversations/${c.id}/messages`,
          method: 'POST',
          hint: "Append turns to this conversation. Send status: 'completed' on the final call to trigger analysis.",
        });
        const tr = await transcriptOf(c.id);
        assert.equal(tr.id, c.id);
        assert.deepEqual(
          tr.segments.map((s: any) => [s.index, s.role, s.speaker, s.text]),
          [
            [0, 'user', 'user', 'Hello, I need help with my order'],
            [1, 'assistant', 'assistant', 'Hi! What is the order number?'],
            [2, 'user', 'user', 'It is 4521.\nIt shipped last week.'],
          ],
        );
        for (const s of tr.segments) assert.ok(!Number.isNaN(Date.parse(s.timestamp)), 'chat messages get a timestamp');
        // GET renders Converra's content with the canonical role labels.
        const got = assertData(await t.request('GET', `/api/v1/conversations/${c.id}`, { key }));
        assert.equal(got.content, 'User: Hello, I need help with my order\nAssistant: Hi! What is the order number?\nUser: It is 4521.\nIt shipped last week.');
      });
    }

    test('`Name:` meeting lines make a meeting with named speakers', async () => {
      const content = 'Alice Chen: Let us review the Q1 targets.\nBob: Revenue is tracking at 92%.\nthe rest of the sentence wraps here.\nAlice Chen: Great, thanks Bob.';
      const c = assertData(await create({ content, startTime: '2026-03-18T14:00:00Z' }));
      assert.equal(c.kind, 'meeting');
      assert.equal(c.status, 'completed', 'a meeting is created completed');
      assert.equal(c.segmentCount, 3);
      assert.equal(c.startTime, '2026-03-18T14:00:00.000Z');
      assert.equal(c.title, 'Meeting on 2026-03-18');
      const tr = await transcriptOf(c.id);
      assert.deepEqual(
        tr.segments.map((s: any) => [s.speaker, s.text, s.role ?? null]),
        [
          ['Alice Chen', 'Let us review the Q1 targets.', null],
          ['Bob', 'Revenue is tracking at 92%. the rest of the sentence wraps here.', null],
          ['Alice Chen', 'Great, thanks Bob.', null],
        ],
      );
    });

    test('JSON-string content {messages, metadata}', async () => {
      const content = JSON.stringify({
        messages: [
          { role: 'system', content: 'You are a support bot.' },
          { role: 'user', content: 'Hello', timestamp: '2026-01-05T10:00:00Z' },
          { role: 'assistant', content: 'Hi! How can I help?', model: 'gpt-4o', tokens: 12, timestamp: '2026-01-05T10:00:03Z' },
        ],
        metadata: { userId: 'u_1', channel: 'web', language: 'en' },
      });
      const c = assertData(await create({ content, metadata: { channel: 'mobile', extra: true } }));
      assert.equal(c.kind, 'chat');
      assert.equal(c.segmentCount, 3);
      // The request's own metadata wins over the metadata inside content.
      assert.deepEqual(c.metadata, { userId: 'u_1', channel: 'mobile', language: 'en', extra: true });
      assert.equal(c.title, 'Hello');
      const tr = await transcriptOf(c.id);
      assert.deepEqual(
        tr.segments.map((s: any) => s.role),
        ['system', 'user', 'assistant'],
      );
      assert.equal(tr.segments[1].timestamp, '2026-01-05T10:00:00.000Z');
      // The untimed system prompt takes the time of its neighbour, so the chat spans 10:00:00–10:00:03.
      assert.equal(tr.segments[0].timestamp, '2026-01-05T10:00:00.000Z');
      assert.equal(c.startTime, '2026-01-05T10:00:00.000Z');
      assert.equal(c.endTime, '2026-01-05T10:00:03.000Z');
      assert.equal(tr.segments[2].model, 'gpt-4o');
      assert.equal(tr.segments[2].tokens, 12);
    });

    test('a JSON array string is read as messages', async () => {
      const c = assertData(await create({ content: JSON.stringify([{ role: 'user', content: 'Only me' }]) }));
      assert.equal(c.segmentCount, 1);
      assert.equal(c.kind, 'chat');
    });

    test('messages: [...] with names, tool calls and usage', async () => {
      const c = assertData(
        await create({
          title: 'Support chat',
          messages: [
            { role: 'user', content: 'Where is my parcel?', name: 'Dana' },
            { role: 'assistant', content: 'Let me check.', model: 'gpt-4o-mini', latencyMs: 850, usage: { promptTokens: 20, completionTokens: 5 } },
            { role: 'tool', content: '', toolCalls: [{ name: 'track', arguments: { id: 'P1' } }] },
            { role: 'assistant', content: 'It arrives tomorrow.', metadata: { confidence: 'high' } },
          ],
        }),
      );
      assert.equal(c.title, 'Support chat');
      assert.equal(c.segmentCount, 4);
      const tr = await transcriptOf(c.id);
      assert.equal(tr.segments[0].speaker, 'Dana', 'the speaker is the name when one is given');
      assert.equal(tr.segments[0].role, 'user');
      assert.equal(tr.segments[1].speaker, 'assistant', 'otherwise the role');
      assert.equal(tr.segments[1].latencyMs, 850);
      assert.deepEqual(tr.segments[1].usage, { promptTokens: 20, completionTokens: 5 });
      assert.equal(tr.segments[2].role, 'tool');
      assert.deepEqual(tr.segments[2].toolCalls, [{ name: 'track', arguments: { id: 'P1' } }]);
      assert.deepEqual(tr.segments[3].metadata, { confidence: 'high' });
    });

    test('segments: [...] make a meeting with timestamps, start, end and duration', async () => {
      const body = meetingBody(12);
      const c = assertData(await create(body));
      assert.equal(c.kind, 'meeting');
      assert.equal(c.status, 'completed');
      assert.equal(c.title, 'Q1 Planning Review');
      assert.equal(c.segmentCount, 12);
      assert.equal(c.startTime, '2026-03-18T14:00:00.000Z');
      assert.equal(c.endTime, '2026-03-18T14:11:00.000Z');
      assert.equal(c.duration, 11);
      const tr = await transcriptOf(c.id);
      assert.deepEqual(
        tr.segments.map((s: any) => [s.index, s.speaker, s.timestamp]),
        body.segments.map((s, i) => [i, s.speaker, s.timestamp]),
      );
      assert.equal(tr.segments[5].text, body.segments[5].text);
    });

    test('an empty chat opened as active, for appending later', async () => {
      const c = assertData(await create({ status: 'active', promptId: 'p_live' }));
      assert.equal(c.status, 'active');
      assert.equal(c.segmentCount, 0);
      assert.equal(c.kind, 'chat');
      assert.deepEqual((await transcriptOf(c.id)).segments, []);
    });

    test('explicit kind, status and endTime are kept', async () => {
      const c = assertData(
        await create({ kind: 'meeting', status: 'in_progress', content: 'Alice: hi\nBob: hello', startTime: '2026-02-01T09:00:00+02:00', endTime: '2026-02-01T09:30:00+02:00' }),
      );
      assert.equal(c.kind, 'meeting');
      assert.equal(c.status, 'in_progress');
      assert.equal(c.startTime, '2026-02-01T07:00:00.000Z');
      assert.equal(c.duration, 30);
    });
  });

  describe('create: validation and limits', () => {
    test('bad field values are 400 validation_error naming each field', async () => {
      const before = await countRows(t.container.db);
      assertValidation(await create({ kind: 'podcast' }), 'kind');
      assertValidation(await create({ status: 'done' }), 'status');
      assertValidation(await create({ startTime: 'yesterday' }), 'startTime');
      assertValidation(await create({ title: '   ' }), 'title');
      assertValidation(await create({ title: 'x'.repeat(501) }), 'title');
      assertValidation(await create({ metadata: [1, 2] }), 'metadata');
      assertValidation(await create({ content: 42 }), 'content');
      assertValidation(await create({ messages: [] }), 'messages');
      assertValidation(await create({ messages: [{ role: 'robot', content: 'x' }] }), 'messages.0.role');
      assertValidation(await create({ messages: [{ role: 'user', content: 'ok' }, { role: 'user', content: '  ' }] }), 'messages.1.content');
      assertValidation(await create({ segments: [{ speaker: 'A', text: '' }] }), 'segments.0.text');
      assertValidation(await create({ segments: [{ text: 'hello' }] }), 'segments.0.speaker');
      assertValidation(await create({ idempotencyKey: 'k'.repeat(256) }), 'idempotencyKey');
      const both = assertValidation(await create({ content: 'User: hi', messages: [{ role: 'user', content: 'hi' }] }), 'content');
      assert.match(both.content, /one of/i);
      assertValidation(await create({ content: '{"messages": [' }), 'content');
      assertValidation(await create({ content: JSON.stringify({ messages: [{ role: 'bot', content: 'x' }] }) }), 'messages.0.role');
      assertValidation(await create({ content: JSON.stringify({ nope: true }) }), 'messages');
      assertValidation(await create({ startTime: '2026-03-18T15:00:00Z', endTime: '2026-03-18T14:00:00Z', content: 'A: x' }), 'endTime');
      const d = assertValidation(await create({ kind: 'x', status: 'y' }), 'kind');
      assert.ok('status' in d, 'every bad field is named, not just the first');
      assert.deepEqual(await countRows(t.container.db), before, 'rejected creates wrote nothing');
    });

    test('unknown body fields and query parameters are named in details', async () => {
      assertValidation(await create({ title: 'ok', colour: 'blue' }), 'colour');
      assertValidation(await t.request('GET', '/api/v1/conversations?colour=blue', { key }), 'colour');
    });

    test('malformed JSON, non-object bodies and wrong content types are 400', async () => {
      assertValidation(await create('{"title": '), 'body');
      assertValidation(await create('[1,2,3]'), 'body');
      assertValidation(await create('"just a string"'), 'body');
      const plain = await t.request('POST', '/api/v1/conversations', { key, raw: 'User: hi', headers: { 'content-type': 'text/plain' } });
      assertError(plain, 400, 'validation_error');
      const xml = await t.request('POST', '/api/v1/conversations', { key, raw: '<a/>', headers: { 'content-type': 'application/xml' } });
      assert.ok(xml.status === 400 || xml.status === 415, `xml → ${xml.status}`);
      assert.equal(typeof xml.body.error.code, 'string');
    });

    test('413 payload_too_large exactly past the Converra limits', async () => {
      const before = await countRows(t.container.db);
      // content: 512 KB passes, 512 KB + 1 byte does not (6 messages, each under 100 KB).
      const lines = (total: number) => {
        const out: string[] = [];
        let used = 0;
        for (let i = 0; i < 6; i++) {
          const prefix = i % 2 ? 'Assistant: ' : 'User: ';
          const budget = i === 5 ? total - used - prefix.length : 87 * KB;
          const line = prefix + 'a'.repeat(budget);
          out.push(line);
          used += line.length + (i === 5 ? 0 : 1);
        }
        return out.join('\n');
      };
      const exact = lines(512 * KB);
      assert.equal(Buffer.byteLength(exact), 512 * KB);
      const ok = assertData(await create({ content: exact }));
      assert.equal(ok.segmentCount, 6);
      const over = await create({ content: lines(512 * KB + 1) });
      assertError(over, 413, 'payload_too_large');
      assert.ok('content' in (over.body.error.details ?? {}), 'names the content field');
      // Multi-byte text counts in UTF-8 bytes, not characters.
      assertError(await create({ content: 'User: ' + 'é'.repeat(90 * KB) + '\nAssistant: ' + 'é'.repeat(90 * KB) + '\nUser: ' + 'é'.repeat(90 * KB) }), 413, 'payload_too_large');

      // messages: 500 pass, 501 do not — in `messages` and inside a JSON-string content.
      const msgs = (n: number) => Array.from({ length: n }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i}` }));
      assert.equal(assertData(await create({ messages: msgs(500) })).segmentCount, 500);
      assertError(await create({ messages: msgs(501) }), 413, 'payload_too_large');
      assertError(await create({ content: JSON.stringify({ messages: msgs(501) }) }), 413, 'payload_too_large');
      assertError(await create({ content: msgs(501).map((m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.content}`).join('\n') }), 413, 'payload_too_large');

      // one message: 100 KB passes, 100 KB + 1 byte does not.
      assert.equal(assertData(await create({ messages: [{ role: 'user', content: 'b'.repeat(100 * KB) }] })).segmentCount, 1);
      const big = await create({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'b'.repeat(100 * KB + 1) }] });
      assertError(big, 413, 'payload_too_large');
      assert.ok('messages.1.content' in big.body.error.details, JSON.stringify(big.body.error.details));
      assertError(await create({ content: 'User: ' + 'c'.repeat(100 * KB + 1) }), 413, 'payload_too_large');
      assertError(await create({ segments: [{ speaker: 'A', text: 'd'.repeat(100 * KB + 1) }] }), 413, 'payload_too_large');

      const after = await countRows(t.container.db);
      assert.equal(after.conversations, before.conversations + 3, 'only the three in-limit requests were stored');
      assert.equal(after.segments, before.segments + 6 + 500 + 1);
    });

    test('413 payload_too_large past the meeting-transcript limits (20,000 segments, 8 MB of text); nothing written', async () => {
      const before = await countRows(t.container.db);
      const segs = (n: number) => Array.from({ length: n }, (_, i) => ({ speaker: i % 2 ? 'B' : 'A', text: `s${i}` }));
      // Segment count: 20,000 is the limit, one more is refused.
      const tooMany = await create({ title: 'too many segments', segments: segs(20_001) });
      assertError(tooMany, 413, 'payload_too_large');
      assert.deepEqual(tooMany.body.error.details, { segments: 'At most 20000 segments' });
      assert.match(tooMany.body.error.message, /20,001 segments is over the limit of 20,000: split/);
      // Total text: each segment is under the 100 KB per-message limit, but together they are
      // 8 MB + 1 byte of UTF-8 (the request itself stays under the 9 MB body limit).
      const total = 8 * 1024 * KB + 1;
      const full = Math.floor(total / (100 * KB));
      const big = Array.from({ length: full }, (_, i) => ({ speaker: 'A', text: String(i % 10).repeat(100 * KB) }));
      big.push({ speaker: 'B', text: 'z'.repeat(total - full * 100 * KB) });
      assert.equal(big.reduce((n, x) => n + Buffer.byteLength(x.text), 0), total);
      const tooBig = await create({ title: 'too much text', segments: big });
      assertError(tooBig, 413, 'payload_too_large');
      assert.deepEqual(tooBig.body.error.details, { segments: 'Transcript too large' });
      assert.match(tooBig.body.error.message, /over 8 MB/);
      assert.deepEqual(await countRows(t.container.db), before, 'rejected creates wrote nothing');
      // Exactly at both limits is accepted.
      assert.equal(assertData(await create({ title: 'at the limit', segments: segs(20_000) })).segmentCount, 20_000);
      big[big.length - 1].text = big[big.length - 1].text.slice(1);
      assert.equal(assertData(await create({ title: 'exactly 8 MB', segments: big })).segmentCount, big.length);
    });

    test('NUL characters anywhere are 400 validation_error naming the field, never a 500', async () => {
      const before = await countRows(t.container.db);
      assertValidation(await create({ title: 'a\u0000b' }), 'title');
      assertValidation(await create({ content: 'User: a\u0000b' }), 'content');
      assertValidation(await create({ content: JSON.stringify({ messages: [{ role: 'user', content: 'a\u0000b' }] }) }), /^content\./);
      assertValidation(await create({ content: JSON.stringify({ messages: [{ role: 'user', content: 'ok' }], metadata: { k: 'v\u0000' } }) }), /^content\./);
      assertValidation(await create({ metadata: { nested: ['x', 'y\u0000'] } }), 'metadata.nested.1');
      assertValidation(await create({ segments: [{ speaker: 'A\u0000', text: 'x' }] }), 'segments.0.speaker');
      assertValidation(await create({ messages: [{ role: 'user', content: 'x', metadata: { 'k\u0000': 1 } }] }), /^messages\.0\.metadata/);
      assertValidation(await create({ idempotencyKey: 'k\u0000' }), 'idempotencyKey');
      assertValidation(await t.request('GET', '/api/v1/conversations?search=a%00b', { key }), 'search');
      assertValidation(await t.request('GET', '/api/v1/conversations/sess_a%00b', { key }), 'id');
      assertValidation(await t.request('PATCH', '/api/v1/conversations/sess_x', { key, body: { title: '\u0000' } }), 'title');
      const form = new FormData();
      form.append('file', new Blob([JSON.stringify({ segments: [{ speaker: 'A', text: 'x\u0000y', start: 1 }] })]), 'nul.json');
      assertValidation(await t.request('POST', '/api/v1/conversations/import', { key, raw: form }), 'segments.0.text');
      assert.deepEqual(await countRows(t.container.db), before);
      // Lone surrogates (a UTF-16 string cut in half) are stored as U+FFFD rather than refused — in text
      // columns and in jsonb metadata alike, also when they arrive inside JSON-string content.
      assert.equal(assertData(await create({ title: 'a\ud800b' })).title, 'a\ufffdb');
      const m = assertData(await create({ metadata: { '\udc00k': 'v\ud83d', ok: '😀' }, content: 'User: cut emoji \ud83d' }));
      assert.deepEqual(m.metadata, { '\ufffdk': 'v\ufffd', ok: '😀' });
      const j = assertData(await create({ content: JSON.stringify({ messages: [{ role: 'user', content: 'hi \ud83d', metadata: { x: '\udfff' } }], metadata: { ['\ud800']: 1 } }) }));
      assert.deepEqual(j.metadata, { '\ufffd': 1 });
      const js = assertData(await t.request('GET', `/api/v1/conversations/${j.id}/transcript`, { key })).segments;
      assert.equal(js[0].text, 'hi \ufffd');
      assert.deepEqual(js[0].metadata, { x: '\ufffd' });
    });

    test('a body past the server body limit is 413 before parsing', async () => {
      const res = await t.request('POST', '/api/v1/conversations', { key, raw: '{"content":"' + 'x'.repeat(10 * 1024 * 1024) + '"}', headers: { 'content-type': 'application/json' } });
      assertError(res, 413, 'payload_too_large');
    });
  });

  describe('list', () => {
    let lk: string;
    const ids: Record<string, string> = {};
    before(async () => {
      ({ key: lk } = await t.user('professional'));
      const mk = async (name: string, body: Record<string, unknown>) => {
        ids[name] = assertData(await create(body, lk)).id;
      };
      // Created oldest to newest; the list is newest first.
      await mk('old', { title: 'Budget retro 2025', startTime: '2025-01-10T10:00:00Z', segments: [{ speaker: 'Ann', text: 'We overspent on cloud hosting.' }] });
      await mk('planning', { title: 'Q1 Planning Review', startTime: '2026-03-18T14:00:00Z', segments: [{ speaker: 'Bob', text: 'The roadmap needs another engineer.' }] });
      await mk('invoices', {
        title: 'Customer escalation',
        startTime: '2026-03-20T09:00:00Z',
        segments: [{ speaker: 'Cara', text: 'Several invoices were duplicated for enterprise accounts last month.' }],
      });
      await mk('chatA', { promptId: 'prompt_a', content: 'User: How do I reset my password?\nAssistant: Use the link on the login page.' });
      await mk('chatB', { promptId: 'prompt_b', status: 'abandoned', content: 'User: Cancel my subscription\nAssistant: Sorry to see you go.' });
      await mk('live', { promptId: 'prompt_a', status: 'active' });
      await sql`update conversations set has_insights = true where id = ${ids.chatA}`.execute(t.container.db);
      // Another user's matching conversation must never appear.
      const other = await t.user('professional');
      assertData(await create({ title: 'Q1 Planning Review (other user)', content: 'Alice: invoices duplicated' }, other.key));
    });

    const list = async (qs = '') => {
      const res = await t.request('GET', `/api/v1/conversations${qs}`, { key: lk });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body).sort(), ['data', 'pagination']);
      const body = res.body as { data: any[]; pagination: { total: number; limit: number; offset: number; nextCursor: string | null } };
      // A next page has a cursor; the last page (or one past it) has none.
      const rest = body.pagination.total - body.pagination.offset - body.data.length;
      assert.equal(body.pagination.nextCursor === null, rest <= 0, `nextCursor ${body.pagination.nextCursor} with ${rest} rows after this page`);
      // Every total here is exact (a search's count is capped far above these).
      const { nextCursor: _c, totalRelation, ...pagination } = body.pagination as typeof body.pagination & { totalRelation: string };
      assert.equal(totalRelation, 'eq');
      return { ...body, pagination };
    };
    const names = (data: any[]) => data.map((c) => Object.entries(ids).find(([, id]) => id === c.id)?.[0] ?? c.id);

    test('newest first with default pagination', async () => {
      const r = await list();
      assert.deepEqual(r.pagination, { total: 6, limit: 20, offset: 0 });
      assert.deepEqual(names(r.data), ['live', 'chatB', 'chatA', 'invoices', 'planning', 'old']);
      const c = r.data.find((x) => x.id === ids.planning);
      for (const f of ['id', 'title', 'startTime', 'endTime', 'duration', 'segmentCount', 'promptId', 'status', 'hasInsights', 'createdAt']) assert.ok(f in c, f);
    });

    test('limit and offset page through with stable totals', async () => {
      const p1 = await list('?limit=2');
      const p2 = await list('?limit=2&offset=2');
      const p3 = await list('?limit=2&offset=4');
      const p4 = await list('?limit=2&offset=6');
      assert.deepEqual([p1, p2, p3, p4].map((p) => p.pagination), [
        { total: 6, limit: 2, offset: 0 },
        { total: 6, limit: 2, offset: 2 },
        { total: 6, limit: 2, offset: 4 },
        { total: 6, limit: 2, offset: 6 },
      ]);
      assert.deepEqual([...names(p1.data), ...names(p2.data), ...names(p3.data)], ['live', 'chatB', 'chatA', 'invoices', 'planning', 'old']);
      assert.deepEqual(p4.data, []);
      assert.equal((await list('?limit=100')).data.length, 6);
    });

    test('search matches titles (substring) and transcript text (full-text, stemmed)', async () => {
      assert.deepEqual(names((await list('?search=Plann')).data), ['planning']);
      assert.deepEqual(names((await list('?search=budget%20RETRO')).data), ['old']);
      // "invoicing" is nowhere in a title; it matches "invoices" in the transcript through the stemmer.
      const fts = await list('?search=invoicing');
      assert.deepEqual(names(fts.data), ['invoices']);
      assert.equal(fts.pagination.total, 1);
      assert.deepEqual(names((await list('?search=duplicated%20enterprise')).data), ['invoices']);
      assert.deepEqual(names((await list('?search=password')).data), ['chatA']);
      assert.equal((await list('?search=kangaroo')).pagination.total, 0);
      // Operators and LIKE wildcards are data, not syntax.
      assert.equal((await list(`?search=${encodeURIComponent('100%_ "unclosed -or :*')}`)).pagination.total, 0);
      assert.equal((await list(`?search=${encodeURIComponent('%')}`)).pagination.total, 0);
    });

    test('since, promptId, status, kind and hasInsights filter', async () => {
      assert.deepEqual(names((await list('?since=2026-03-19T00:00:00Z&kind=meeting')).data), ['invoices']);
      assert.equal((await list('?since=2026-01-01T00:00:00Z')).pagination.total, 5, 'chats count from their creation time');
      assert.deepEqual(names((await list('?promptId=prompt_a')).data), ['live', 'chatA']);
      assert.deepEqual(names((await list('?status=abandoned')).data), ['chatB']);
      assert.deepEqual(names((await list('?status=active')).data), ['live']);
      assert.equal((await list('?status=completed')).pagination.total, 4);
      assert.deepEqual(names((await list('?kind=chat&limit=10')).data), ['live', 'chatB', 'chatA']);
      assert.deepEqual(names((await list('?kind=meeting')).data), ['invoices', 'planning', 'old']);
      assert.deepEqual(names((await list('?hasInsights=true')).data), ['chatA']);
      assert.equal((await list('?hasInsights=false')).pagination.total, 5);
      assert.deepEqual(names((await list('?promptId=prompt_a&status=completed&hasInsights=1')).data), ['chatA']);
      const p = await list('?kind=meeting&limit=1&offset=1');
      assert.deepEqual(p.pagination, { total: 3, limit: 1, offset: 1 });
      assert.deepEqual(names(p.data), ['planning']);
    });

    test('bad query parameters are 400 with details per field', async () => {
      const q = (qs: string) => t.request('GET', `/api/v1/conversations${qs}`, { key: lk });
      assertValidation(await q('?limit=0'), 'limit');
      assertValidation(await q('?limit=101'), 'limit');
      assertValidation(await q('?limit=abc'), 'limit');
      assertValidation(await q('?limit=2.5'), 'limit');
      assertValidation(await q('?offset=-1'), 'offset');
      assertValidation(await q('?since=last-week'), 'since');
      assertValidation(await q('?status=finished'), 'status');
      assertValidation(await q('?kind=call'), 'kind');
      assertValidation(await q('?hasInsights=maybe'), 'hasInsights');
      assertValidation(await q(`?search=${'s'.repeat(201)}`), 'search');
      const d = assertValidation(await q('?limit=0&offset=-5'), 'limit');
      assert.ok('offset' in d);
    });
  });

  describe('list totals, cursors and sort', () => {
    let uk: string;
    let userId: string;
    const made: Record<string, string> = {};
    before(async () => {
      const u = await t.user('professional');
      uk = u.key;
      userId = u.userId;
      const mk = async (name: string, body: Record<string, unknown>) => {
        made[name] = assertData(await create(body, uk)).id;
      };
      // Created in this order; meeting starts in a different order.
      await mk('m2026', { title: 'Spring review', startTime: '2026-05-01T10:00:00Z', segments: [{ speaker: 'Ann', text: 'Numbers are up.' }] });
      await mk('m2024', { title: 'Old kickoff', startTime: '2024-02-01T10:00:00Z', segments: [{ speaker: 'Ann', text: 'We start today.' }] });
      await mk('m2025', { title: 'Mid review', startTime: '2025-07-01T10:00:00Z', segments: [{ speaker: 'Bob', text: 'Halfway there.' }] });
      await mk('chat', { content: 'User: Where is my parcel?\nAssistant: On its way.' });
      await mk('gone', { status: 'abandoned', content: 'User: Cancel please\nAssistant: Done.' });
    });

    const page = async (qs: string) => {
      const res = await t.request('GET', `/api/v1/conversations${qs}`, { key: uk });
      assert.equal(res.status, 200, res.text);
      return res.body as { data: Array<{ id: string }>; pagination: { total: number; nextCursor: string | null } };
    };
    const name = (id: string) => Object.entries(made).find(([, v]) => v === id)?.[0] ?? id;
    /** Totals as the counters give them, against a count of the rows themselves, for every filter. */
    const checkTotals = async () => {
      for (const qs of ['', '?kind=meeting', '?kind=chat', '?status=completed', '?status=abandoned', '?kind=chat&status=abandoned']) {
        const p = new URLSearchParams(qs.slice(1));
        let q = t.container.db.selectFrom('conversations').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).where('deleted_at', 'is', null);
        if (p.get('kind')) q = q.where('kind', '=', p.get('kind') as 'chat');
        if (p.get('status')) q = q.where('status', '=', p.get('status') as 'completed');
        const rows = (await q.executeTakeFirstOrThrow()).n;
        assert.equal((await page(qs)).pagination.total, rows, `total for "${qs}"`);
      }
    };

    test('totals stay exact through creates, deletes, restores and other users\' writes', async () => {
      assert.equal((await page('')).pagination.total, 5);
      assert.equal((await page('?kind=chat&status=abandoned')).pagination.total, 1);
      await checkTotals();
      assertData(await t.request('DELETE', `/api/v1/conversations/${made.m2025}`, { key: uk }));
      assert.equal((await page('')).pagination.total, 4);
      assert.equal((await page('?kind=meeting')).pagination.total, 2);
      await checkTotals();
      // Deleting twice and restoring twice count once.
      await t.request('DELETE', `/api/v1/conversations/${made.m2025}`, { key: uk });
      assertData(await t.request('POST', `/api/v1/conversations/${made.m2025}/restore`, { key: uk }));
      assertData(await t.request('POST', `/api/v1/conversations/${made.m2025}/restore`, { key: uk }));
      assert.equal((await page('')).pagination.total, 5);
      await checkTotals();
      const other = await t.user('professional');
      assertData(await create({ title: 'Someone else', content: 'Alice: hi' }, other.key));
      assert.equal((await page('')).pagination.total, 5);
    });

    test('a cursor walks every row once, in offset order, and ignores rows created meanwhile', async () => {
      const all = (await page('?limit=100')).data.map((c) => c.id);
      const walked: string[] = [];
      let cursor: string | null = null;
      let first = true;
      while (first || cursor) {
        const p = await page(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        walked.push(...p.data.map((c) => c.id));
        if (first) assertData(await create({ title: 'Created while paging', content: 'User: hi\nAssistant: hello' }, uk));
        first = false;
        cursor = p.pagination.nextCursor;
      }
      assert.deepEqual(walked.map(name), all.map(name));
      await t.request('DELETE', `/api/v1/conversations/${(await page('?limit=1')).data[0].id}`, { key: uk });
    });

    test('sort=startTime orders by meeting start (creation when there is none), with its own cursors', async () => {
      const byStart = (await page('?sort=startTime&kind=meeting')).data.map((c) => name(c.id));
      assert.deepEqual(byStart, ['m2026', 'm2025', 'm2024']);
      assert.deepEqual((await page('?kind=meeting')).data.map((c) => name(c.id)), ['m2025', 'm2024', 'm2026']);
      const first = await page('?sort=startTime&limit=3');
      assert.deepEqual(first.data.map((c) => name(c.id)), ['gone', 'chat', 'm2026']);
      const second = await page(`?sort=startTime&limit=3&cursor=${first.pagination.nextCursor}`);
      assert.deepEqual(second.data.map((c) => name(c.id)), ['m2025', 'm2024']);
      assert.equal(second.pagination.nextCursor, null);
      // A cursor belongs to its sort.
      const wrong = await t.request('GET', `/api/v1/conversations?cursor=${first.pagination.nextCursor}`, { key: uk });
      assertValidation(wrong, 'cursor');
      assert.match(wrong.body.error.message, /sort=startTime/);
    });

    test('a cursor that was not given by the API is 400', async () => {
      for (const c of ['abc', Buffer.from('["createdAt","yesterday","x"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url'), 'x'.repeat(1001)]) {
        assertValidation(await t.request('GET', `/api/v1/conversations?cursor=${c}`, { key: uk }), 'cursor');
      }
      assertValidation(await t.request('GET', '/api/v1/conversations?sort=title', { key: uk }), 'sort');
    });
  });

  describe('get, PATCH, DELETE, restore, transcript', () => {
    let id: string;
    before(async () => {
      id = assertData(await create({ title: 'Lifecycle', content: 'User: Hello\nAssistant: Hi there' })).id;
    });

    test('GET returns the conversation with content and insights (default includeInsights=true)', async () => {
      const c = assertData(await t.request('GET', `/api/v1/conversations/${id}`, { key }));
      assert.equal(c.id, id);
      assert.equal(c.title, 'Lifecycle');
      assert.equal(c.content, 'User: Hello\nAssistant: Hi there');
      assert.ok('insights' in c);
      assert.equal(c.insights, null, 'no insights yet');
      const without = assertData(await t.request('GET', `/api/v1/conversations/${id}?includeInsights=false`, { key }));
      assert.ok(!('insights' in without));
      const insights = { conversationId: id, sentiment: 'positive', sentimentScore: 0.8, taskCompleted: true, topics: ['greeting'], summary: 'Said hello.', issues: [] };
      await sql`insert into analyses (conversation_id, kind, result, engine) values (${id}, 'insights', ${JSON.stringify(insights)}::jsonb, 'test')`.execute(t.container.db);
      const withI = assertData(await t.request('GET', `/api/v1/conversations/${id}?includeInsights=true`, { key }));
      assert.deepEqual(withI.insights, insights);
      assertValidation(await t.request('GET', `/api/v1/conversations/${id}?includeInsights=perhaps`, { key }), 'includeInsights');
    });

    test('PATCH changes the title and nothing else', async () => {
      const before = assertData(await t.request('GET', `/api/v1/conversations/${id}`, { key }));
      const res = await t.request('PATCH', `/api/v1/conversations/${id}`, { key, body: { title: '  Renamed meeting  ' } });
      const c = assertData(res);
      assert.equal(c.id, id);
      assert.equal(c.title, 'Renamed meeting');
      const after = assertData(await t.request('GET', `/api/v1/conversations/${id}`, { key }));
      assert.equal(after.title, 'Renamed meeting');
      assert.equal(after.segmentCount, before.segmentCount);
      assert.equal(after.content, before.content);
      assert.equal(after.status, before.status);
      // The new title is searchable.
      const found = await t.request('GET', '/api/v1/conversations?search=Renamed', { key });
      assert.deepEqual(found.body.data.map((x: any) => x.id), [id]);
      assertValidation(await t.request('PATCH', `/api/v1/conversations/${id}`, { key, body: {} }), 'title');
      assertValidation(await t.request('PATCH', `/api/v1/conversations/${id}`, { key, body: { title: '' } }), 'title');
      assertValidation(await t.request('PATCH', `/api/v1/conversations/${id}`, { key, body: { title: 7 } }), 'title');
      assertValidation(await t.request('PATCH', `/api/v1/conversations/${id}`, { key, body: { title: 'x'.repeat(501) } }), 'title');
      assertValidation(await t.request('PATCH', `/api/v1/conversations/${id}`, { key, body: { title: 'ok', status: 'completed' } }), 'status');
      assertError(await t.request('PATCH', '/api/v1/conversations/sess_doesnotexist000000', { key, body: { title: 'x' } }), 404, 'not_found');
      assert.equal(assertData(await t.request('GET', `/api/v1/conversations/${id}`, { key })).title, 'Renamed meeting');
    });

    test('soft DELETE hides it from every endpoint; restore brings it back intact', async () => {
      const victim = assertData(await create({ title: 'Disposable sync', segments: [{ speaker: 'Zed', text: 'zebra crossing budget' }] })).id;
      const del = await t.request('DELETE', `/api/v1/conversations/${victim}`, { key });
      assert.deepEqual(assertData(del), { id: victim, deleted: true });
      const row = await t.container.db.selectFrom('conversations').select(['deleted_at']).where('id', '=', victim).executeTakeFirstOrThrow();
      assert.ok(row.deleted_at, 'soft: the row is kept');
      assertError(await t.request('GET', `/api/v1/conversations/${victim}`, { key }), 404, 'not_found');
      assertError(await t.request('GET', `/api/v1/conversations/${victim}/transcript`, { key }), 404, 'not_found');
      assertError(await t.request('PATCH', `/api/v1/conversations/${victim}`, { key, body: { title: 'x' } }), 404, 'not_found');
      assertError(await t.request('POST', `/api/v1/conversations/${victim}/messages`, { key, body: { messages: [{ role: 'user', content: 'x' }] } }), 404, 'not_found');
      assertError(await t.request('DELETE', `/api/v1/conversations/${victim}`, { key }), 404, 'not_found');
      const listed = await t.request('GET', '/api/v1/conversations?limit=100', { key });
      assert.ok(!listed.body.data.some((c: any) => c.id === victim));
      assert.equal((await t.request('GET', '/api/v1/conversations?search=zebra', { key })).body.pagination.total, 0);
      const segs = await t.container.db.selectFrom('segments').select(['idx']).where('conversation_id', '=', victim).execute();
      assert.equal(segs.length, 1, 'appending to a deleted conversation wrote nothing');

      const restored = assertData(await t.request('POST', `/api/v1/conversations/${victim}/restore`, { key }));
      assert.equal(restored.id, victim);
      assert.equal(restored.title, 'Disposable sync');
      assert.equal(restored.segmentCount, 1);
      assert.equal(assertData(await t.request('GET', `/api/v1/conversations/${victim}`, { key })).title, 'Disposable sync');
      assert.equal((await t.request('GET', '/api/v1/conversations?search=zebra', { key })).body.pagination.total, 1);
      // Restoring a live conversation is a no-op; an unknown one is 404.
      assert.equal(assertData(await t.request('POST', `/api/v1/conversations/${victim}/restore`, { key })).id, victim);
      assertError(await t.request('POST', '/api/v1/conversations/sess_nope/restore', { key }), 404, 'not_found');
    });

    test('transcript and every id route answer 404 not_found for unknown ids', async () => {
      for (const [m, p] of [
        ['GET', '/api/v1/conversations/sess_unknown'],
        ['GET', '/api/v1/conversations/sess_unknown/transcript'],
        ['DELETE', '/api/v1/conversations/sess_unknown'],
      ] as const) {
        const res = await t.request(m, p, { key });
        assertError(res, 404, 'not_found', `${m} ${p}`);
        assert.equal(res.body.error.message, 'Conversation not found');
      }
    });
  });

  describe('envelope and unknown routes', () => {
    test('unknown routes and methods are 404 not_found in the error envelope', async () => {
      assertError(await t.request('GET', '/api/v1/nothing-here', { key }), 404, 'not_found');
      assertError(await t.request('GET', '/api/v1/nothing-here'), 404, 'not_found');
      assertError(await t.request('PUT', '/api/v1/conversations', { key, body: {} }), 404, 'not_found');
      assertError(await t.request('POST', '/api/v1/conversations/x/y/z', { key, body: {} }), 404, 'not_found');
      assertError(await t.request('GET', '/api/v2/conversations', { key }), 404, 'not_found');
      assertError(await t.request('GET', '/healthz/extra'), 404, 'not_found');
    });

    test('every response carries a request id', async () => {
      const res = await t.request('GET', '/api/v1/conversations', { key });
      assert.match(res.headers.get('x-request-id') ?? '', /^req_[0-9A-Za-z]{16}$/);
      const err = await t.request('GET', '/api/v1/conversations');
      assert.match(err.headers.get('x-request-id') ?? '', /^req_/);
    });
  });
});
