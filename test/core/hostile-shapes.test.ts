// Request shapes that used to reach the database (or JSON.stringify) and fail there with a 500:
// each is a 400 in the error envelope now, and none leaves a row behind.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { assertData, countRows, multipart, nested, nestedJson, snapshot, uploadForm } from './support.js';

// A cue 999 hours in: from a start at the end of the year 9999 it ends past it.
const LONG_VTT = 'WEBVTT\n\n999:00:00.000 --> 999:00:05.000\n<v Alice>Much later.\n';

describe(`shapes that must be 400, not 500 (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;
  let live: string;
  let rowsBefore: Record<string, number>;
  let snap: string;

  before(async () => {
    t = await startTestApp();
    key = (await t.user('enterprise')).key;
    live = assertData(await t.request('POST', '/api/v1/conversations', { key, body: { status: 'active', messages: [{ role: 'user', content: 'hello' }] } })).id;
    rowsBefore = await countRows(t.container.db);
    snap = await snapshot(t.container.db);
  });
  after(async () => t?.close());

  /** JSON text as given (JSON.stringify would escape a lone surrogate the same way; NUL too). */
  const post = (path: string, body: unknown) => t.request('POST', path, { key, headers: { 'content-type': 'application/json' }, raw: JSON.stringify(body) });

  function rejected(res: TestResponse, field?: RegExp) {
    assert.equal(res.status, 400, res.text.slice(0, 300));
    assert.equal(res.body.error.code, 'validation_error');
    if (field) assert.ok(Object.keys(res.body.error.details ?? {}).some((k) => field.test(k)), JSON.stringify(res.body.error));
  }

  test('NUL or a lone surrogate below 64 levels, in metadata, toolCalls and append metadata', async () => {
    for (const leaf of ['a\u0000b', 'a\ud800b']) {
      rejected(await post('/api/v1/conversations', { content: 'User: hi', metadata: nested(70, leaf) }), /^metadata/);
      rejected(await post('/api/v1/conversations', { messages: [{ role: 'assistant', content: 'ok', toolCalls: [nested(70, leaf)] }] }), /^messages\.0\.toolCalls/);
      rejected(await post(`/api/v1/conversations/${live}/messages`, { messages: [{ role: 'user', content: 'x' }], metadata: nested(70, leaf) }), /^metadata/);
    }
  });

  test('nesting thousands of levels deep', async () => {
    const raw = (path: string, text: string) => t.request('POST', path, { key, headers: { 'content-type': 'application/json' }, raw: text });
    rejected(await raw('/api/v1/conversations', `{"content":"User: hi","metadata":${nestedJson(5000, '1')}}`), /^metadata/);
    rejected(await raw(`/api/v1/conversations/${live}/messages`, `{"messages":[{"role":"user","content":"x"}],"metadata":${nestedJson(5000, '1')}}`), /^metadata/);
    rejected(await raw('/api/v1/conversations', `{"messages":[{"role":"user","content":"x","toolCalls":[${nestedJson(100_000, '"x"')}]}]}`), /^messages\.0\.toolCalls/);
  });

  test('instants outside the years 0001–9999', async () => {
    rejected(await post('/api/v1/conversations', { content: 'User: hi', startTime: '0000-01-01T00:00:00Z' }), /startTime/);
    // Within range as written, outside it in UTC.
    rejected(await post('/api/v1/conversations', { content: 'User: hi', startTime: '0001-01-01T00:00:00+01:00' }), /startTime/);
    rejected(await post('/api/v1/conversations', { messages: [{ role: 'user', content: 'x', timestamp: '9999-12-31T23:30:00-01:00' }] }), /timestamp/);
    rejected(await post(`/api/v1/conversations/${live}/messages`, { messages: [{ role: 'user', content: 'x', timestamp: '0000-06-01T00:00:00Z' }] }), /timestamp/);
    const form = uploadForm('late.vtt', LONG_VTT, { startTime: '9999-12-31T00:00:00Z' });
    rejected(await t.request('POST', '/api/v1/conversations/import', { key, raw: form }), /startTime/);
  });

  test('imports: NUL in the file name or its Content-Type, and too many form fields', async () => {
    const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Alice>Hello.\n';
    const upload = (qs: string, body: ReturnType<typeof multipart>) => t.request('POST', `/api/v1/conversations/import${qs}`, { key, ...body });
    for (const qs of ['?async=true', '']) {
      rejected(await upload(qs, multipart([{ name: 'file', filename: 'a\u0000b.vtt', type: 'text/vtt', value: vtt }])), /filename/);
      // In a folder part of the name too, which is not kept but was sent.
      rejected(await upload(qs, multipart([{ name: 'file', filename: 'x\u0000/a.vtt', type: 'text/vtt', value: vtt }])), /filename/);
      rejected(await upload(qs, multipart([{ name: 'file', filename: 'a.vtt', type: 'text/vtt\u0000x', value: vtt }])), /contentType/);
      rejected(await upload(qs, multipart([{ name: 'title', value: 'a\u0000b' }, { name: 'file', filename: 'a.vtt', type: 'text/vtt', value: vtt }])), /title/);
      // Eleven form fields before the file: one more than allowed.
      const fields = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, value: 'x' }));
      rejected(await upload(qs, multipart([...fields, { name: 'file', filename: 'a.vtt', type: 'text/vtt', value: vtt }])));
    }
    // The same upload without the NUL is accepted (so the refusals above are about the NUL).
    const ok = await upload('?dryRun=true', multipart([{ name: 'file', filename: 'ab.vtt', type: 'text/vtt', value: vtt }]));
    assert.equal(ok.status, 200, ok.text.slice(0, 300));
  });

  test('JSON declared in a charset other than UTF-8 is refused before it is read', async () => {
    for (const type of ['application/json; charset=utf-16', 'application/json;charset="ISO-8859-1"', 'application/json; charset=utf-32le']) {
      const res = await t.request('POST', '/api/v1/conversations', { key, headers: { 'content-type': type }, raw: '{}' });
      rejected(res, /content-type/);
      rejected(await t.request('POST', `/api/v1/conversations/${live}/messages`, { key, headers: { 'content-type': type }, raw: '{"messages":[{"role":"user","content":"hi"}]}' }), /content-type/);
    }
  });

  test('none of them wrote anything', async () => {
    assert.deepEqual(await countRows(t.container.db), rowsBefore);
    assert.equal(await snapshot(t.container.db), snap);
  });

  test('a path sent as the file name keeps its last part only', async () => {
    const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Alice>Hello.\n';
    const res = await t.request('POST', '/api/v1/conversations/import', { key, ...multipart([{ name: 'file', filename: 'C:\\calls\\weekly/standup.vtt', type: 'text/vtt', value: vtt }]) });
    assert.equal(res.status, 201, res.text.slice(0, 300));
    assert.equal(res.body.data.title, 'standup');
    assert.equal(res.body.data.metadata.source.filename, 'standup.vtt');
  });

  test('the limit itself: 63 levels under metadata (64 in the body) are stored and read back', async () => {
    const metadata = nested(63, 'deep \ud83d\ude00');
    const ok = await post('/api/v1/conversations', { content: 'User: hi', metadata });
    assert.equal(ok.status, 200, ok.text.slice(0, 300));
    assert.deepEqual(assertData(await t.request('GET', `/api/v1/conversations/${ok.body.data.id}`, { key })).metadata, metadata);
  });
});
