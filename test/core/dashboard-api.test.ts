// The API's additions for the dashboard: GET /conversations/deleted (the trash the dashboard lists
// and restores from) and the list's `include=overview` (a one-line summary and speakers per row).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { meetingBody, startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';

describe(`the API for the dashboard: trash and list overview (${dbLabel})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  test('lists only the caller’s deleted conversations, newest deletion first; restore takes one out', async () => {
    const a = await t.user('professional');
    const b = await t.user('professional');
    const make = async (key: string, title: string) => (await t.request('POST', '/api/v1/conversations', { key, body: { ...meetingBody(2), title } })).body.data.id as string;
    const [one, two, kept] = [await make(a.key, 'One'), await make(a.key, 'Two'), await make(a.key, 'Kept')];
    const other = await make(b.key, 'Other');
    for (const [key, id] of [[a.key, one], [a.key, two], [b.key, other]]) assert.equal((await t.request('DELETE', `/api/v1/conversations/${id}`, { key })).status, 200);

    const trash = await t.request('GET', '/api/v1/conversations/deleted', { key: a.key });
    assert.equal(trash.status, 200, trash.text);
    assert.deepEqual(trash.body.data.map((c: { id: string }) => c.id), [two, one]);
    assert.equal(trash.body.pagination.total, 2);
    assert.ok(!Number.isNaN(Date.parse(trash.body.data[0].deletedAt)));
    assert.equal(trash.body.data[0].title, 'Two');

    const byId = await t.request('GET', `/api/v1/conversations/deleted?id=${one}`, { key: a.key });
    assert.deepEqual(byId.body.data.map((c: { id: string }) => c.id), [one]);
    for (const id of [kept, other, 'sess_doesnotexist']) {
      const r = await t.request('GET', `/api/v1/conversations/deleted?id=${id}`, { key: a.key });
      assert.equal(r.body.data.length, 0, `${id} is not in a's trash`);
    }

    assert.equal((await t.request('POST', `/api/v1/conversations/${one}/restore`, { key: a.key })).status, 200);
    const after = await t.request('GET', '/api/v1/conversations/deleted', { key: a.key });
    assert.deepEqual(after.body.data.map((c: { id: string }) => c.id), [two]);
    // The live conversation itself is still found where it always was.
    assert.equal((await t.request('GET', `/api/v1/conversations/${kept}`, { key: a.key })).status, 200);
  });

  test('bad paging or an unknown parameter is a 400 that names the field', async () => {
    const { key } = await t.user('starter');
    for (const [qs, field] of [['limit=0', 'limit'], ['limit=101', 'limit'], ['offset=-1', 'offset'], ['bogus=1', 'bogus']]) {
      const r = await t.request('GET', `/api/v1/conversations/deleted?${qs}`, { key });
      assert.equal(r.status, 400, `${qs}: ${r.text}`);
      assert.equal(r.body.error.code, 'validation_error');
      assert.ok(r.body.error.details[field], `${qs} names ${field}: ${r.text}`);
    }
    assert.equal((await t.request('GET', '/api/v1/conversations/deleted')).status, 401);
  });

  test('include=overview: the first sentence of the stored summary and who spoke; null before any analysis; nothing added without it', async () => {
    const { key } = await t.user('professional');
    const body = {
      title: 'Overview',
      segments: [
        { speaker: 'Alice', text: 'We agreed to move the launch to Monday because the vendor is late.', timestamp: '2026-03-18T14:00:00Z' },
        { speaker: 'Bob', text: 'I will tell the vendor about Monday today.', timestamp: '2026-03-18T14:00:20Z' },
        { speaker: 'Alice', text: 'Sarah, please update the launch plan by Friday.', timestamp: '2026-03-18T14:00:40Z' },
      ],
    };
    const id = (await t.request('POST', '/api/v1/conversations', { key, body })).body.data.id;
    const plain = await t.request('GET', '/api/v1/conversations', { key });
    assert.equal(plain.body.data[0].overview, undefined, 'the default answer is unchanged');
    const before = await t.request('GET', '/api/v1/conversations?include=overview', { key });
    assert.equal(before.status, 200, before.text);
    assert.deepEqual(before.body.data[0].overview, { summary: null, speakers: ['Alice', 'Bob'] });
    const kp = await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key });
    assert.equal(kp.status, 200, kp.text);
    const summary: string = kp.body.data.keypoints?.summary ?? kp.body.data.summary;
    const after = await t.request('GET', '/api/v1/conversations?include=overview&sort=startTime', { key });
    const line: string = after.body.data[0].overview.summary;
    assert.ok(line && summary.startsWith(line.replace(/…$/, '')), `"${line}" opens "${summary}"`);
    assert.match(line, /[.!?…]$/);
    assert.ok(!line.slice(0, -1).match(/[.!?]\s/), `one sentence: ${line}`);
    const bad = await t.request('GET', '/api/v1/conversations?include=everything', { key });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.details.include);
  });
});
