// Property test: random and malformed requests to every write endpoint (create, import, PATCH, append,
// DELETE, restore, keys) are answered 4xx in the error envelope — never 5xx — and write nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { noRateLimiter } from '../../src/domain/ratelimit/rate-limiter.js';
import { assertData, countRows, fixture, multipart, nested, nestedJson, snapshot, uploadForm } from './support.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

// ---- building blocks -------------------------------------------------------------------------

const HUGE = ['x'.repeat(600 * 1024), 'é'.repeat(300 * 1024), '😀'.repeat(140 * 1024)];
const huge = fc.constantFrom(...HUGE);
const unicode = fc.string({ unit: 'binary', maxLength: 40 });
const anyString = fc.oneof(fc.string({ maxLength: 30 }), unicode, fc.constantFrom('', ' ', '\u0000', '\ud800', 'null', '{}', '<script>', "'; drop table users; --"));
/** Random JSON values, nested junk included. */
const json = fc.jsonValue({ maxDepth: 4 });
const nonObject = fc.oneof(json.filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)), fc.array(json, { maxLength: 3 }));
const notString = json.filter((v) => typeof v !== 'string');
const notObject = json.filter((v) => v === null || typeof v !== 'object' || Array.isArray(v));
const notArray = json.filter((v) => !Array.isArray(v));
/** Well-formed ISO 8601 instants outside the years 0001–9999 (some only once taken to UTC). */
const outOfRangeIso = fc.constantFrom('0000-01-01T00:00:00Z', '0000-12-31T23:59:59.999Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:30:00-01:00');
const notIso = fc.oneof(
  notString,
  anyString.filter((s) => !/^\d{4}-\d{2}-\d{2}T/.test(s)),
  fc.constantFrom('2026-13-01T00:00:00Z', '2026-03-18', '18/03/2026 14:00', '2026-03-18T25:00:00Z'),
  outOfRangeIso,
);
/** Text PostgreSQL refuses (NUL, a lone surrogate) or plain values, nested past the 64-level limit. */
const deepValue = fc.tuple(fc.integer({ min: 65, max: 120 }), fc.constantFrom<unknown>('\u0000', 'a\ud800b', '\udfff', 1, 'x')).map(([depth, leaf]) => nested(depth, leaf));
/** JSON text nested thousands of levels deep (JSON.stringify cannot even write it). */
const veryDeepJson = fc.tuple(fc.integer({ min: 1000, max: 20_000 }), fc.constantFrom('1', '"\\u0000"', '"x"', '[]')).map(([depth, leaf]) => nestedJson(depth, leaf));
const outside = (values: string[]) => json.filter((v) => !(typeof v === 'string' && values.includes(v)));

/** Text that is not valid JSON. */
const invalidJsonText = fc
  .oneof(
    fc.constantFrom('{', '}', '[1,]', "{'a':1}", '{"a":1,}', 'NaN', 'undefined', '{"a":}', '{"title": "x"', '\u0000', '{"a":1}{"b":2}', '--', '<xml/>'),
    fc.string({ maxLength: 50 }).map((s) => `{${s}`),
    unicode.map((s) => `[${s}`),
  )
  .filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  });

type Req = { body?: unknown; raw?: string | Buffer | FormData | Blob; headers?: Record<string, string>; path?: string; qs?: string };

const wrongContentType = fc.record({
  raw: fc.oneof(anyString, json.map((v) => JSON.stringify(v))),
  headers: fc.constantFrom<Record<string, string>>(
    { 'content-type': 'application/xml' },
    { 'content-type': 'application/x-www-form-urlencoded' },
    { 'content-type': 'multipart/form-data; boundary=zzz' },
    { 'content-type': 'application/octet-stream' },
    { 'content-type': 'image/png' },
    { 'content-type': 'application/json; charset=utf-16' },
    { 'content-type': 'text/html' },
    { 'content-type': 'application/jsonx' },
  ),
});
const badJsonRequest: fc.Arbitrary<Req> = fc.oneof(
  invalidJsonText.map((raw) => ({ raw, headers: { 'content-type': 'application/json' } })),
  wrongContentType,
  fc.constant({ raw: '', headers: { 'content-type': 'application/json' } }),
);

/** Bodies no parser accepts: broken JSON, or a media type the server does not read. */
const malformedBody: fc.Arbitrary<Req> = fc.oneof(
  invalidJsonText.map((raw) => ({ raw, headers: { 'content-type': 'application/json' } })),
  fc.record({
    raw: fc.oneof(anyString, json.map((v) => JSON.stringify(v))),
    headers: fc.constantFrom<Record<string, string>>(
      { 'content-type': 'application/xml' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'application/octet-stream' },
      { 'content-type': 'image/png' },
      { 'content-type': 'application/jsonx' },
    ),
  }),
);

/** An object that has at least one key the schema does not know. */
const withUnknownKey = (known: string[], base: fc.Arbitrary<Record<string, unknown>> = fc.constant({})) =>
  fc
    .tuple(base, fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.includes(k) && k !== '__proto__'), json, { minKeys: 1, maxKeys: 3 }))
    .map(([b, extra]) => ({ ...b, ...extra }));

const validMessage = fc.record({ role: fc.constantFrom('user', 'assistant', 'system'), content: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0) });
/** A message that breaks the schema in at least one way. */
const badMessage = fc.oneof(
  notObject,
  fc.record({ role: outside(['user', 'assistant', 'system', 'tool']), content: fc.string() }),
  fc.record({ role: fc.constantFrom('user', 'assistant', 'system'), content: fc.oneof(fc.constantFrom('', '   ', '\n'), json.filter((v) => typeof v !== 'string' && v !== null)) }),
  fc.record({ role: fc.constantFrom('user', 'assistant'), content: fc.constant('ok'), tokens: fc.oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true, noNaN: true }), fc.string()) }),
  fc.record({ role: fc.constant('user'), content: fc.constant('ok'), timestamp: notIso.filter((v) => v !== null) }),
  fc.record({ role: fc.constant('user'), content: huge }),
);
const messagesWithABadOne = fc
  .tuple(fc.array(validMessage, { maxLength: 3 }), badMessage, fc.array(validMessage, { maxLength: 3 }))
  .map(([a, bad, b]) => [...a, bad, ...b]);
const badMessages = fc.oneof(notArray, fc.constant([]), messagesWithABadOne, fc.constant(Array.from({ length: 501 }, () => ({ role: 'user', content: 'x' }))));

const CREATE_FIELDS = ['title', 'kind', 'status', 'startTime', 'endTime', 'promptId', 'llmModel', 'companyName', 'metadata', 'content', 'messages', 'segments', 'idempotencyKey'];
const validCreateBits = fc.record(
  {
    title: fc.constantFrom('Fuzz', 'Weekly sync'),
    promptId: fc.constantFrom('prompt_1'),
    llmModel: fc.constantFrom('gpt-4o'),
    metadata: fc.constant({ a: 1 }),
    kind: fc.constantFrom('meeting', 'chat'),
  },
  { requiredKeys: [] },
);

/** Create bodies that must be rejected. */
const badCreate: fc.Arbitrary<Req> = fc.oneof(
  nonObject.map((body) => ({ body: JSON.stringify(body) })),
  withUnknownKey(CREATE_FIELDS, validCreateBits).map((body) => ({ body })),
  fc
    .tuple(
      validCreateBits,
      fc.oneof(
        fc.record({ title: fc.oneof(notString, fc.constantFrom('', '   '), huge) }),
        fc.record({ kind: outside(['meeting', 'chat']) }),
        fc.record({ status: outside(['active', 'in_progress', 'completed', 'abandoned']) }),
        fc.record({ startTime: notIso }),
        fc.record({ endTime: notIso }),
        fc.record({ promptId: fc.oneof(notString, huge) }),
        fc.record({ metadata: notObject }),
        fc.record({ metadata: deepValue }),
        fc.record({ messages: deepValue.map((v) => [{ role: 'assistant', content: 'ok', toolCalls: [v] }]) }),
        fc.record({ content: fc.oneof(notString, huge, invalidJsonText.filter((s) => s.trim().startsWith('{'))) }),
        fc.record({ messages: badMessages }),
        fc.record({ segments: fc.oneof(notArray, fc.constant([]), fc.array(fc.oneof(notObject, fc.record({ speaker: notString, text: fc.string() }), fc.record({ speaker: fc.constant('A'), text: fc.oneof(notString, fc.constant('')) })), { minLength: 1, maxLength: 3 })) }),
        fc.record({ idempotencyKey: fc.oneof(notString, fc.constant(''), huge) }),
        fc.record({ content: fc.constant('User: hi'), messages: fc.constant([{ role: 'user', content: 'hi' }]) }),
      ),
    )
    .map(([ok, bad]) => ({ body: { ...ok, ...bad } })),
  veryDeepJson.map((deep) => ({ body: `{"content":"User: hi","metadata":${deep}}` })),
  veryDeepJson.map((deep) => ({ body: `{"messages":[{"role":"user","content":"x","toolCalls":[${deep}]}]}` })),
  badJsonRequest,
);

/** Append bodies that must be rejected. */
const badAppend: fc.Arbitrary<Req> = fc.oneof(
  nonObject.map((body) => ({ body: JSON.stringify(body) })),
  withUnknownKey(['messages', 'status', 'metadata'], fc.constant({ messages: [{ role: 'user', content: 'x' }] })).map((body) => ({ body })),
  fc.record({ messages: badMessages }, { requiredKeys: [] }).map((body) => ({ body })),
  fc.record({ messages: fc.array(validMessage, { minLength: 1, maxLength: 2 }), status: outside(['active', 'in_progress', 'completed', 'abandoned']) }).map((body) => ({ body })),
  fc.record({ messages: fc.array(validMessage, { minLength: 1, maxLength: 2 }), metadata: notObject }).map((body) => ({ body })),
  fc.record({ messages: fc.array(validMessage, { minLength: 1, maxLength: 2 }), metadata: deepValue }).map((body) => ({ body })),
  deepValue.map((v) => ({ body: { messages: [{ role: 'assistant', content: 'ok', toolCalls: [v] }] } })),
  veryDeepJson.map((deep) => ({ body: `{"messages":[{"role":"user","content":"x"}],"metadata":${deep}}` })),
  badJsonRequest,
);

/** PATCH bodies that must be rejected. */
const badPatch: fc.Arbitrary<Req> = fc.oneof(
  nonObject.map((body) => ({ body: JSON.stringify(body) })),
  withUnknownKey(['title']).map((body) => ({ body })),
  withUnknownKey(['title'], fc.constant({ title: 'Valid title' })).map((body) => ({ body })),
  fc.record({ title: fc.oneof(notString, fc.constantFrom('', '   ', '\n\t'), huge, fc.string({ minLength: 501, maxLength: 600 }).filter((s) => s.trim().length > 500)) }).map((body) => ({ body })),
  badJsonRequest,
);

/** POST /keys bodies that must be rejected (no body and `{}` are valid). */
const badKeyBody: fc.Arbitrary<Req> = fc.oneof(
  json.filter((v) => v !== null && (typeof v !== 'object' || Array.isArray(v))).map((body) => ({ body: JSON.stringify(body) })),
  withUnknownKey(['name']).map((body) => ({ body })),
  fc.record({ name: fc.oneof(notString, huge, fc.string({ minLength: 101, maxLength: 140 }).filter((s) => s.trim().length > 100)) }).map((body) => ({ body })),
  invalidJsonText.map((raw) => ({ raw, headers: { 'content-type': 'application/json' } })),
  wrongContentType.filter((r) => r.headers['content-type'] !== 'application/json; charset=utf-16'),
  fc.record({ raw: anyString.filter((s) => s.length > 0), headers: fc.constant({ 'content-type': 'text/plain' }) }),
);

/** Path ids that belong to nobody: unicode, huge, traversal-looking, SQL-looking. */
const junkId = fc.oneof(
  unicode.filter((s) => s.length > 0),
  fc.string({ minLength: 1, maxLength: 300 }),
  fc.constantFrom('..', '%00', "sess_' or '1'='1", 'sess_' + 'A'.repeat(20), 'key_' + 'A'.repeat(20), '1e309', ' ', '%2F', 'null'),
);

/** Multipart uploads that must be rejected. */
const NUL_FILE = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0x14, 0, 0, 0, 0, 0, 0, 0]);
const badImport: fc.Arbitrary<Req> = fc.oneof(
  json.map((v) => ({ body: v })),
  badJsonRequest,
  fc.record({ raw: anyString, headers: fc.constant({ 'content-type': 'text/vtt' }) }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }).filter((k) => k !== 'file'), anyString, { maxKeys: 3 }).map((fields) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return { raw: form };
  }),
  fc
    .oneof(
      fc.record({ startTime: notIso.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).filter((s) => !/^\d{4}-\d{2}-\d{2}T/.test(s)) }),
      fc.record({ kind: anyString.filter((s) => s !== 'meeting' && s !== 'chat') }),
      fc.record({ title: fc.oneof(fc.constantFrom('', '  '), fc.constant('t'.repeat(501))) }),
    )
    .map((fields) => ({ raw: uploadForm('zoom-roadmap.vtt', fixture('zoom-roadmap.vtt'), fields as Record<string, string>) })),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => ({ raw: uploadForm('junk.bin', Buffer.concat([NUL_FILE, Buffer.from(bytes)])) })),
  fc.constantFrom('', '   ', '\n\n').map((s) => ({ raw: uploadForm('empty.vtt', s) })),
  // NUL in the file name, its Content-Type or a field, on the synchronous and the queued path.
  fc
    .tuple(fc.constantFrom('filename', 'type', 'title'), fc.constantFrom('', '?async=true'), anyString)
    .map(([where, qs, s]) => {
      const bad = `${s}\u0000${s}`;
      // In the type, NUL goes into the media type itself: parameters after a ';', and anything after
      // a CR or LF (the end of the header line), are dropped by the multipart reader and never read or
      // stored (only the media type is). In the file name, a '"' ends the quoted name, so the NUL after
      // it would be outside the name; CR and LF end the header line.
      const file = { name: 'file', filename: where === 'filename' ? `${bad.replace(/["\r\n]/g, ' ')}.vtt` : 'roadmap.vtt', type: where === 'type' ? `text/vtt${bad.replace(/[;\r\n]/g, ' ')}` : 'text/vtt', value: fixture('zoom-roadmap.vtt').toString('utf8') };
      return { qs, ...multipart(where === 'title' ? [{ name: 'title', value: bad }, file] : [file]) };
    }),
  // More form fields than allowed, before the file.
  fc.tuple(fc.integer({ min: 11, max: 40 }), fc.constantFrom('', '?async=true')).map(([n, qs]) => ({
    qs,
    ...multipart([...Array.from({ length: n }, (_, i) => ({ name: `f${i}`, value: 'x' })), { name: 'file', filename: 'roadmap.vtt', type: 'text/vtt', value: fixture('zoom-roadmap.vtt').toString('utf8') }]),
  })),
  // A start late in the year 9999 and a cue hundreds of hours in: the transcript would end past it.
  fc.tuple(fc.integer({ min: 37, max: 999 }), fc.constantFrom('9999-12-31T00:00:00Z', '9999-12-30T12:00:00Z')).map(([hours, startTime]) => ({
    raw: uploadForm('late.vtt', `WEBVTT\n\n${hours}:00:00.000 --> ${hours}:00:05.000\n<v Alice>Much later.\n`, { startTime }),
  })),
  fc.tuple(fc.constantFrom('perhaps', 'yes', '2', ''), fc.constantFrom('dryRun', 'dryrun', 'x')).map(([v, k]) => ({ raw: uploadForm('zoom-roadmap.vtt', fixture('zoom-roadmap.vtt')), qs: `?${k}=${encodeURIComponent(v)}` })),
);

// ---- the suite -------------------------------------------------------------------------------

describe(`fuzzing the write endpoints (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;
  let keyId: string;
  let live: string;
  let deleted: string;

  before(async () => {
    t = await startTestApp({ overrides: { rateLimiter: noRateLimiter } });
    ({ key, keyId } = await t.user('enterprise'));
    live = assertData(await t.request('POST', '/api/v1/conversations', { key, body: { status: 'active', title: 'Live', messages: [{ role: 'user', content: 'hello' }] } })).id;
    deleted = assertData(await t.request('POST', '/api/v1/conversations', { key, body: { title: 'Gone', content: 'Alice: bye' } })).id;
    assertData(await t.request('DELETE', `/api/v1/conversations/${deleted}`, { key }));
  });
  after(async () => {
    await t?.close();
  });

  async function send(method: string, path: string, r: Req): Promise<TestResponse> {
    const headers = { ...r.headers };
    if (r.body !== undefined) {
      return t.request(method, path + (r.qs ?? ''), { key, headers: { 'content-type': 'application/json', ...headers }, raw: typeof r.body === 'string' ? r.body : JSON.stringify(r.body) });
    }
    return t.request(method, path + (r.qs ?? ''), { key, headers, raw: r.raw });
  }

  /** Runs the property: every request is answered 4xx in the error envelope and writes nothing. */
  async function check(label: string, arb: fc.Arbitrary<Req>, method: string, path: (r: Req) => string, opts: { allow2xx?: boolean } = {}) {
    const before = await countRows(t.container.db);
    const snap = await snapshot(t.container.db);
    let count = 0;
    await fc.assert(
      fc.asyncProperty(arb, async (r) => {
        count++;
        const res = await send(method, path(r), r);
        const ok2xx = opts.allow2xx && res.status >= 200 && res.status < 300;
        assert.ok(ok2xx || (res.status >= 400 && res.status < 500), `${label}: ${method} → ${res.status} ${res.text.slice(0, 300)}`);
        if (!ok2xx) {
          assert.equal(typeof res.body?.error?.code, 'string', `${label}: error envelope: ${res.text.slice(0, 200)}`);
          assert.equal(typeof res.body.error.message, 'string');
        }
        assert.deepEqual(await countRows(t.container.db), before, `${label}: nothing written`);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    assert.equal(count >= RUNS, true);
    assert.equal(await snapshot(t.container.db), snap, `${label}: the database is unchanged`);
  }

  test('POST /conversations', async () => {
    await check('create', badCreate, 'POST', () => '/api/v1/conversations');
  });

  test('POST /conversations/{id}/messages', async () => {
    await check('append', badAppend, 'POST', () => `/api/v1/conversations/${live}/messages`);
    // Valid bodies to ids that are not the caller's.
    await check(
      'append to junk ids',
      junkId.map((id) => ({ path: id, body: { messages: [{ role: 'user', content: 'x' }] } })),
      'POST',
      (r) => `/api/v1/conversations/${encodeURIComponent(r.path!)}/messages`,
    );
  });

  test('PATCH /conversations/{id}', async () => {
    await check('patch', badPatch, 'PATCH', () => `/api/v1/conversations/${live}`);
    await check('patch junk ids', junkId.map((id) => ({ path: id, body: { title: 'Renamed' } })), 'PATCH', (r) => `/api/v1/conversations/${encodeURIComponent(r.path!)}`);
  });

  test('DELETE /conversations/{id} and POST …/restore', async () => {
    await check('delete junk ids', fc.tuple(junkId, fc.option(json)).map(([id, body]) => ({ path: id, body: body ?? undefined })), 'DELETE', (r) => `/api/v1/conversations/${encodeURIComponent(r.path!)}`);
    // A body on DELETE is ignored when it parses; it must be rejected when it does not.
    await check('delete with a malformed body', malformedBody, 'DELETE', () => `/api/v1/conversations/${live}`);
    await check('restore junk ids', junkId.map((id) => ({ path: id })), 'POST', (r) => `/api/v1/conversations/${encodeURIComponent(r.path!)}/restore`);
    await check('restore with a malformed body', malformedBody, 'POST', () => `/api/v1/conversations/${deleted}/restore`);
  });

  test('POST /conversations/import', async () => {
    await check('import', badImport, 'POST', () => '/api/v1/conversations/import');
    // Random file contents with ?dryRun=true: parsed or refused, never a 500, never saved.
    await check(
      'import dryRun with random files',
      fc
        .tuple(
          fc.oneof(fc.string({ maxLength: 300 }), unicode, fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')), fc.constantFrom('WEBVTT\n\n', '1\n00:00:01,000 --> 00:00:00,000\nA: x\n', 'WEBVTT\n\n99:99:99.999 --> 00:00:01.000\n<v>x')),
          fc.constantFrom('a.vtt', 'a.srt', 'a.json', 'a.txt', 'noext', 'a.md'),
        )
        .map(([content, name]) => ({ raw: uploadForm(name, content), qs: '?dryRun=true' })),
      'POST',
      () => '/api/v1/conversations/import',
      { allow2xx: true },
    );
  });

  test('well-typed random bodies (unicode, huge, odd dates) are 2xx or 4xx, and a 4xx writes nothing', async () => {
    const iso = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    const message = fc.record(
      { role: fc.constantFrom('user', 'assistant', 'system', 'tool'), content: fc.oneof(anyString, huge), name: anyString, timestamp: iso, model: anyString, tokens: fc.integer({ min: 0 }), metadata: fc.dictionary(anyString, json, { maxKeys: 2 }) },
      { requiredKeys: ['role'] },
    );
    const labelled = fc.array(fc.tuple(fc.constantFrom('User', 'Assistant', 'Human', 'AI', 'Customer', 'Agent', 'Alice', 'Bob Smith', 'note', ''), anyString), { maxLength: 6 }).map((turns) => turns.map(([l, x]) => `${l}: ${x}`).join('\n'));
    const createBody = fc.record(
      {
        title: anyString,
        kind: fc.constantFrom('meeting', 'chat'),
        status: fc.constantFrom('active', 'in_progress', 'completed', 'abandoned'),
        startTime: iso,
        endTime: iso,
        promptId: anyString,
        llmModel: anyString,
        metadata: fc.dictionary(anyString, json, { maxKeys: 3 }),
        transcript: fc.oneof(
          fc.record({ content: fc.oneof(anyString, labelled, json.map((v) => JSON.stringify(v)), fc.array(message, { maxLength: 4 }).map((messages) => JSON.stringify({ messages }))) }),
          fc.record({ messages: fc.array(message, { maxLength: 4 }) }),
          fc.record({ segments: fc.array(fc.record({ speaker: anyString, text: anyString, timestamp: fc.option(iso) }), { maxLength: 4 }) }),
        ),
      },
      { requiredKeys: [] },
    );
    const run = async (label: string, arb: fc.Arbitrary<{ method: string; path: string; body: unknown }>, writes: (res: TestResponse, before: Record<string, number>, after: Record<string, number>, body: any) => void) => {
      await fc.assert(
        fc.asyncProperty(arb, async (r) => {
          const before = await countRows(t.container.db);
          const res = await t.request(r.method, r.path, { key, body: r.body });
          const after = await countRows(t.container.db);
          assert.ok((res.status >= 200 && res.status < 300) || (res.status >= 400 && res.status < 500), `${label}: ${res.status} ${res.text.slice(0, 300)}`);
          if (res.status >= 400) {
            assert.equal(typeof res.body?.error?.code, 'string');
            assert.deepEqual(after, before, `${label}: a rejected request wrote nothing`);
          } else writes(res, before, after, r.body);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    };
    await run(
      'create',
      createBody.map(({ transcript, ...rest }) => ({ method: 'POST', path: '/api/v1/conversations', body: { ...rest, ...(transcript ?? {}) } })),
      (res, before, after) => {
        assert.equal(after.conversations, before.conversations + 1);
        assert.equal(after.segments, before.segments + res.body.data.segmentCount);
      },
    );
    await run(
      'append',
      fc.record({ messages: fc.array(message, { minLength: 1, maxLength: 4 }), metadata: fc.dictionary(anyString, json, { maxKeys: 2 }) }, { requiredKeys: ['messages'] }).map((body) => ({ method: 'POST', path: `/api/v1/conversations/${live}/messages`, body })),
      (res, before, after, body) => {
        assert.equal(after.conversations, before.conversations);
        assert.equal(after.segments, before.segments + body.messages.length, 'every sent message stored');
        assert.equal(res.body.data.messages.length, res.body.data.segmentCount);
      },
    );
    await run('patch', fc.record({ title: fc.oneof(anyString, huge) }).map((body) => ({ method: 'PATCH', path: `/api/v1/conversations/${live}`, body })), (res, before, after) => {
      assert.deepEqual(after, before);
      assert.equal(typeof res.body.data.title, 'string');
    });
  });

  test('POST /keys and DELETE /keys/{id}', async () => {
    await check('create key', badKeyBody, 'POST', () => '/api/v1/keys');
    await check('revoke junk key ids', fc.tuple(junkId, fc.option(json)).map(([id, body]) => ({ path: id, body: body ?? undefined })), 'DELETE', (r) => `/api/v1/keys/${encodeURIComponent(r.path!)}`);
    // Our own key still works.
    const res = await t.request('GET', '/api/v1/keys', { key });
    assert.equal(assertData(res).find((k: any) => k.id === keyId).revokedAt, null);
  });
});
