// GET /conversations/deleted: the trash the dashboard lists and restores from.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { meetingBody, startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';

describe(`the trash (${dbLabel})`, () => {
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
});
