// Many readers of one big conversation at once: its transcript is loaded and rendered once for
// all of them (and then served from the cache), not once per reader over the shared event loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';

const SEGMENTS = 1_500;
const READERS = 20;

async function bigChat(t: TestApp, key: string, title: string, n = SEGMENTS): Promise<string> {
  const messages = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ role: (from + i) % 2 ? 'assistant' : 'user', content: `Message ${from + i}: the launch plan, the budget and who sends what by Friday.` }));
  const created = await t.request('POST', '/api/v1/conversations', { key, body: { title, messages: messages(0, 500) } });
  assert.equal(created.status, 200, created.text);
  const id = created.body.data.id as string;
  for (let from = 500; from < n; from += 500) {
    const r = await t.request('POST', `/api/v1/conversations/${id}/messages`, { key, body: { messages: messages(from, 500) }, headers: { prefer: 'return=minimal' } });
    assert.equal(r.status, 200, r.text);
  }
  return id;
}

test(`${READERS} concurrent reads of a ${SEGMENTS}-segment conversation cost about what one read costs`, async () => {
  const t = await startTestApp();
  try {
    const u = await t.user('professional');
    // A small one to warm up with, then two of the same size, one per measurement, so both
    // measurements start with nothing cached.
    const [warm, one, many] = [await bigChat(t, u.key, 'Warm-up', 500), await bigChat(t, u.key, 'One reader'), await bigChat(t, u.key, 'Many readers')];
    // Over HTTP: the same body for every reader, the whole transcript in it.
    const viaHttp = await Promise.all([0, 1].map(() => t.request('GET', `/api/v1/conversations/${warm}`, { key: u.key })));
    assert.ok(viaHttp.every((r) => r.status === 200 && r.text === viaHttp[0].text));
    assert.equal(viaHttp[0].body.data.content.split('\n').length, 500);

    // The server's share of the work, measured without an HTTP client in the same process.
    const get = (id: string) => t.container.conversations.get(u.userId, id, false);
    let started = performance.now();
    const single = await get(one);
    const singleMs = performance.now() - started;
    started = performance.now();
    const all = await Promise.all(Array.from({ length: READERS }, () => get(many)));
    const burstMs = performance.now() - started;
    assert.equal(single.content.split('\n').length, SEGMENTS);
    assert.ok(all.every((r) => r.content === all[0].content && r.content.split('\n').length === SEGMENTS));

    console.log(`one read ${singleMs.toFixed(0)} ms; ${READERS} concurrent reads ${burstMs.toFixed(0)} ms (${(burstMs / singleMs).toFixed(1)}x)`);
    // Loading per reader costs about READERS times one read (17.6x before the fix); shared, about
    // one (0.7–2.5x idle, 5.2x seen on a machine loaded 8 times over its cores).
    assert.ok(burstMs < (READERS / 2) * singleMs, `${READERS} reads took ${(burstMs / singleMs).toFixed(1)}x one read`);
  } finally {
    await t.close();
  }
});

test('a 20,000-segment transcript is read and encoded a page at a time, never holding the event loop for long', async () => {
  const t = await startTestApp();
  try {
    const u = await t.user('professional');
    const N = 20_000;
    const segments = Array.from({ length: N }, (_, i) => ({
      speaker: `Speaker ${i % 7}`,
      text: `Segment ${i}: we went through the rollout plan, the budget, the open risks and who follows up with the vendor by Friday.`,
      timestamp: new Date(Date.UTC(2026, 2, 2, 9) + i * 2000).toISOString(),
    }));
    const create = async () => {
      const created = await t.request('POST', '/api/v1/conversations', { key: u.key, body: { title: 'All-day workshop', startTime: '2026-03-02T09:00:00Z', segments } });
      assert.equal(created.status, 200, created.text);
      return created.body.data.id as string;
    };

    // The longest stretch the event loop is held while the transcript is built (nothing cached yet),
    // against the time the whole build takes: one page's share, not the whole read.
    const measure = async (id: string) => {
      let longest = 0;
      let last = performance.now();
      let ticking = true;
      const tick = () => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const started = performance.now();
      const body = await t.container.conversations.transcriptJson(u.userId, id);
      const buildMs = performance.now() - started;
      // The tick waiting since the last hold measures it before the count is read.
      await new Promise((resolve) => setImmediate(resolve));
      ticking = false;
      return { body, buildMs, longest };
    };
    const id = await create();
    const first = await measure(id);
    const { body } = first;
    let { buildMs, longest } = first;
    // One garbage-collection pause on a busy machine can hold the loop for a few hundred ms by
    // itself; a second conversation is built when the first looks held, and the better run counts.
    // A read of everything at once holds it for most of the build every time.
    if (longest >= buildMs * 0.5) {
      const retry = await measure(await create());
      console.log(`first build held ${longest.toFixed(0)} of ${buildMs.toFixed(0)} ms; a second build held ${retry.longest.toFixed(0)} of ${retry.buildMs.toFixed(0)} ms`);
      if (retry.longest / retry.buildMs < longest / buildMs) ({ longest, buildMs } = retry);
    }
    const parsed = JSON.parse(body.toString('utf8'));
    assert.equal(parsed.data.segments.length, N);
    assert.deepEqual(parsed.data.segments[N - 1], { index: N - 1, text: segments[N - 1].text, speaker: segments[N - 1].speaker, timestamp: segments[N - 1].timestamp });
    assert.equal(parsed.data.speakers.length, 7);
    console.log(`built in ${buildMs.toFixed(0)} ms; the event loop was held at most ${longest.toFixed(0)} ms at a time`);
    // One read of everything held it for most of the build (PGlite: the whole read is one statement).
    assert.ok(longest < buildMs * 0.5, `held ${longest.toFixed(0)} ms of ${buildMs.toFixed(0)} ms`);

    // The second read is the cached bytes, over HTTP as well, and the body is the same.
    const again = await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key: u.key });
    assert.equal(again.status, 200);
    assert.equal(again.text, body.toString('utf8'));
    assert.equal(await t.container.conversations.transcriptJson(u.userId, id), body, 'the cached bytes');
  } finally {
    await t.close();
  }
});
