// PATCH /conversations/{id}/speakers: rename and merge speaker labels of any transcript.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { outbox, subscribe } from './support.js';

const lines: Array<[string, string]> = [
  ['Speaker 1', 'Good morning, let us review the launch plan for the mobile app.'],
  ['Speaker 2', 'The backend is ready and the API passed the load test yesterday.'],
  ['Speaker 1', 'Great. Speaker 2, can you send the load test report by Friday?'],
  ['Bob', 'I will send the report by Friday afternoon.'],
  ['Speaker 3', 'Marketing needs the final screenshots before Wednesday.'],
  ['Speaker 1', 'We decided to launch on Monday the fourth.'],
  ['Speaker 2', 'I will update the release notes today.'],
  ['Speaker 3', 'The press release draft is almost done.'],
  ['Speaker 1', 'Any risks we should talk about before we wrap up?'],
  ['Speaker 2', 'Only the payment provider migration, which is on track.'],
  ['Speaker 1', 'Thanks everyone, see you on Monday.'],
];

describe(`rename and merge speakers (${dbLabel})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  async function meeting(key: string) {
    const r = await t.request('POST', '/api/v1/conversations', {
      key,
      body: { title: 'Launch sync', kind: 'meeting', startTime: '2026-03-18T14:00:00Z', segments: lines.map(([speaker, text], i) => ({ speaker, text, timestamp: new Date(Date.parse('2026-03-18T14:00:00Z') + i * 20_000).toISOString() })) },
    });
    assert.ok(r.status === 200 || r.status === 201, r.text);
    return r.body.data.id as string;
  }
  const speakers = async (key: string, id: string) => (await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key })).body.data.segments.map((s: any) => s.speaker);

  test('renames everywhere, merges into an existing label, marks analyses stale and fires conversation.updated', async () => {
    const u = await t.user('professional');
    await subscribe(t, u.userId, ['conversation.updated']);
    const id = await meeting(u.key);
    const first = await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key: u.key, body: {} });
    assert.equal(first.status, 200, first.text);
    assert.equal((await t.request('GET', `/api/v1/conversations/${id}/keypoints`, { key: u.key })).body.data.stale, undefined);
    const feedback = await t.request('POST', `/api/v1/conversations/${id}/feedback`, { key: u.key, body: {} });
    assert.equal(feedback.status, 200, feedback.text);

    const r = await t.request('PATCH', `/api/v1/conversations/${id}/speakers`, { key: u.key, body: { rename: { 'Speaker 1': 'Alice Chen', 'Speaker 2': 'Bob' } } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.data.speakers, [
      { name: 'Alice Chen', segmentCount: 5 },
      { name: 'Bob', segmentCount: 4 },
      { name: 'Speaker 3', segmentCount: 2 },
    ]);
    assert.deepEqual(await speakers(u.key, id), lines.map(([s]) => (s === 'Speaker 1' ? 'Alice Chen' : s === 'Speaker 2' ? 'Bob' : s)));
    const texts = (await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key: u.key })).body.data.segments.map((s: any) => s.text);
    assert.deepEqual(texts, lines.map(([, text]) => text), 'only labels change');

    const ev = (await outbox(t, u.userId)).filter((e) => e.event === 'conversation.updated');
    assert.equal(ev.length, 1);
    assert.deepEqual(ev[0]!.data, { conversationId: id, title: 'Launch sync', changedFields: ['speakers'] });

    const stale = await t.request('GET', `/api/v1/conversations/${id}/keypoints`, { key: u.key });
    assert.equal(stale.body.data.stale, true);
    assert.equal((await t.request('GET', `/api/v1/conversations/${id}/feedback`, { key: u.key })).body.data.stale, true);
    // The next POST regenerates (a credit) instead of answering from the cache, and names the new speakers.
    const again = await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key: u.key, body: {} });
    assert.equal(again.status, 200, again.text);
    assert.notEqual(again.body.data.cached, true);
    assert.ok(JSON.stringify(again.body.data).includes('Alice Chen'));
    assert.ok(!JSON.stringify(again.body.data).includes('Speaker 1'));
    assert.equal((await t.request('GET', `/api/v1/conversations/${id}/keypoints`, { key: u.key })).body.data.stale, undefined);
    const cachedNow = await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key: u.key, body: {} });
    assert.equal(cachedNow.body.data.cached, true);
  });

  test('two labels can be swapped in one request', async () => {
    const u = await t.user('professional');
    const id = await meeting(u.key);
    const r = await t.request('PATCH', `/api/v1/conversations/${id}/speakers`, { key: u.key, body: { rename: { 'Speaker 1': 'Speaker 2', 'Speaker 2': 'Speaker 1' } } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await speakers(u.key, id), lines.map(([s]) => (s === 'Speaker 1' ? 'Speaker 2' : s === 'Speaker 2' ? 'Speaker 1' : s)));
  });

  test('bad requests change nothing: unknown label, empty names, other users', async () => {
    const u = await t.user('professional');
    await subscribe(t, u.userId, ['conversation.updated']);
    const id = await meeting(u.key);
    const unknown = await t.request('PATCH', `/api/v1/conversations/${id}/speakers`, { key: u.key, body: { rename: { 'Speaker 1': 'Alice', Nobody: 'Zed' } } });
    assert.equal(unknown.status, 400, unknown.text);
    assert.ok(unknown.body.error.details['rename.Nobody']);
    for (const body of [{}, { rename: {} }, { rename: { 'Speaker 1': '   ' } }, { rename: { 'Speaker 1': 'x'.repeat(201) } }, { rename: { 'Speaker 1': 'A' }, extra: 1 }, { rename: ['Speaker 1'] }]) {
      const r = await t.request('PATCH', `/api/v1/conversations/${id}/speakers`, { key: u.key, body });
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    }
    const other = await t.user('professional');
    const stranger = await t.request('PATCH', `/api/v1/conversations/${id}/speakers`, { key: other.key, body: { rename: { 'Speaker 1': 'Mallory' } } });
    assert.equal(stranger.status, 404);
    assert.deepEqual(await speakers(u.key, id), lines.map(([s]) => s));
    assert.deepEqual(await outbox(t, u.userId), []);
    const list = await t.request('GET', `/api/v1/conversations/${id}/speakers`, { key: u.key });
    assert.deepEqual(list.body.data.speakers.map((s: any) => s.name), ['Speaker 1', 'Speaker 2', 'Bob', 'Speaker 3']);
  });
});
