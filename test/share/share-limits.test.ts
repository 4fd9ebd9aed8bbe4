// A huge shared conversation must not turn one anonymous fetch into megabytes and a second of
// CPU: the page carries one slice of the transcript at a time, and each client address may fetch
// only so many pages a minute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** A chat of `n` messages, created and appended through the API (500 per request at most). */
async function sharedChat(t: TestApp, key: string, n: number): Promise<string> {
  const messages = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ role: (from + i) % 2 ? 'assistant' : 'user', content: `Message number ${from + i} about the launch plan.` }));
  const created = await t.request('POST', '/api/v1/conversations', { key, body: { title: 'Long chat', messages: messages(0, Math.min(n, 500)) } });
  assert.equal(created.status, 200, created.text);
  const id = created.body.data.id as string;
  for (let from = 500; from < n; from += 500) {
    const r = await t.request('POST', `/api/v1/conversations/${id}/messages`, { key, body: { messages: messages(from, Math.min(500, n - from)) }, headers: { prefer: 'return=minimal' } });
    assert.equal(r.status, 200, r.text);
  }
  const shared = await t.request('POST', `/api/v1/conversations/${id}/share`, { key });
  assert.equal(shared.status, 200, shared.text);
  return new URL(shared.body.data.shareUrl).pathname;
}

const segmentIds = (html: string) => [...html.matchAll(/<li id="seg-(\d+)"/g)].map((m) => Number(m[1]));

test('a long transcript is shared 500 segments to a page, with links between pages', async () => {
  const t = await startTestApp();
  try {
    const u = await t.user('professional');
    const path = await sharedChat(t, u.key, 1_010);

    const first = await t.request('GET', path);
    assert.equal(first.status, 200);
    const ids = segmentIds(first.text);
    assert.equal(ids.length, 500, 'the first page holds one page of segments, not the whole transcript');
    assert.deepEqual([ids[0], ids.at(-1)], [0, 499]);
    assert.match(first.text, /Segments 1–500 of 1010 \(page 1 of 3\)/);
    assert.match(first.text, /<a href="\?page=2" rel="next">/);
    assert.doesNotMatch(first.text, /rel="prev"/);

    const last = await t.request('GET', `${path}?page=3`);
    assert.equal(last.status, 200);
    assert.deepEqual([segmentIds(last.text)[0], segmentIds(last.text).at(-1), segmentIds(last.text).length], [1000, 1009, 10]);
    assert.match(last.text, /Message number 1009 about/);
    assert.match(last.text, /<a href="\?page=2" rel="prev">/);

    assert.equal((await t.request('GET', `${path}?page=4`)).status, 404, 'past the end');
    for (const bad of ['0', '-1', 'two', '1.5']) {
      const r = await t.request('GET', `${path}?page=${bad}`);
      assert.equal(r.status, 400, `page=${bad}`);
      assert.equal(r.body.error.code, 'validation_error');
    }
  } finally {
    await t.close();
  }
});

test('each client address may fetch a limited number of share pages a minute; the API is unaffected', async () => {
  const t = await startTestApp({ env: { COLLOQUY_SHARE_RATE_PER_MINUTE: '5' } });
  try {
    const u = await t.user('professional');
    const path = await sharedChat(t, u.key, 3);
    for (let i = 0; i < 5; i++) assert.equal((await t.request('GET', path)).status, 200, `fetch ${i + 1}`);
    const refused = await t.request('GET', path);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    // Unknown tokens count too: guessing links is what the limit is for.
    assert.equal((await t.request('GET', '/shared/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status, 429);
    assert.equal((await t.request('GET', '/api/v1/conversations', { key: u.key })).status, 200, 'the keyed API has its own limit');
  } finally {
    await t.close();
  }
});
