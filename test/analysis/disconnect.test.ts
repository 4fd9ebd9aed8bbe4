// A client that hangs up while its analysis waits for a thread: the analysis is dropped, so it
// never takes a thread, spends no credit and stores nothing. Real HTTP over a real socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.js';

/** A meeting well above the small-transcript size, so it cannot take the express thread. */
function longMeeting(title: string, sentencesPerTurn = 1) {
  const lines = Array.from(
    { length: 480 },
    (_, i) =>
      `${['Alice', 'Bob', 'Sarah'][i % 3]}: ` +
      Array.from({ length: sentencesPerTurn }, (_, k) => `Item ${i}.${k}, I'll send the revised budget to finance by Friday, and we agreed to move the launch review to next Tuesday after the demo.`).join(' '),
  );
  return { title, content: lines.join('\n') };
}

test('an analysis whose client hung up while it was queued is dropped: no thread, no credit, nothing stored', async () => {
  // One general thread and one analysis per user at a time, so the second request has to queue.
  const t = await startTestApp({ env: { COLLOQUY_ENGINE_THREADS: '1', COLLOQUY_ENGINE_PER_USER: '1' } });
  try {
    const u = await t.user('professional');
    const ids: string[] = [];
    // The first is long enough (eight sentences a turn) that it is certainly still running when
    // the second hangs up: with one sentence a turn it could finish within the 50 ms on a quiet
    // machine, and the second then ran and was stored.
    for (const [title, sentences] of [['First', 8], ['Second', 1]] as const) {
      const r = await t.request('POST', '/api/v1/conversations', { key: u.key, body: longMeeting(title, sentences) });
      assert.equal(r.status, 200, r.text);
      ids.push(r.body.data.id);
    }
    const profile = async () => (await t.request('GET', '/api/v1/user/profile', { key: u.key })).body.data.apiUsage.aiGenerations.used as number;
    const before = await profile();

    const first = t.request('POST', `/api/v1/conversations/${ids[0]}/keypoints`, { key: u.key, body: {} });
    const hangUp = new AbortController();
    const second = fetch(`${t.url}/api/v1/conversations/${ids[1]}/keypoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${u.key}`, 'content-type': 'application/json' },
      body: '{}',
      signal: hangUp.signal,
    }).catch((err: Error) => err);
    // Hang up while the second request waits for the first's thread. (Hanging up before the server
    // has read it at all stores nothing either.)
    await new Promise((r) => setTimeout(r, 50));
    hangUp.abort();
    assert.ok((await second) instanceof Error, 'the client hung up');

    const done = await first;
    assert.equal(done.status, 200, done.text);
    // Anything the dropped analysis would have done would be done by now, well after the first.
    await new Promise((r) => setTimeout(r, 1_500));
    const stored = await t.container.db.selectFrom('analyses').select(['conversation_id']).where('kind', '=', 'keypoints').execute();
    assert.deepEqual(stored.map((s) => s.conversation_id), [ids[0]], 'only the analysis someone waited for was stored');
    const after = await profile();
    assert.equal(after - before, 1, `only one credit spent (${before} -> ${after})`);
  } finally {
    await t.close();
  }
});
