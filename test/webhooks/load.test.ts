// Many events to several endpoints while conversations are written concurrently: every endpoint
// must receive every event, even with one endpoint failing some first attempts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { register, startHarness, waitFor } from './helpers.js';

const EVENTS = 200;
const WRITERS = 20;

test(`${EVENTS} events to 3 endpoints under concurrent writes: none missing`, async () => {
  const h = await startHarness({ env: { COLLOQUY_WEBHOOK_RETRY_SCHEDULE: '0,1,1,1' } });
  try {
    const { t, receiver } = h;
    const u = await t.user('enterprise');
    const noise = await t.user('professional');
    const paths = ['/e1', '/e2', '/e3'];
    for (const p of paths) await register(t, u.key, receiver.url(p), ['conversation.created']);
    // The third endpoint turns away the first attempt of every fifth event it sees.
    const seen = new Set<string>();
    receiver.respond('/e3', (r) => {
      const id = r.headers['webhook-id'] as string;
      if (seen.has(id)) return 200;
      seen.add(id);
      return seen.size % 5 === 0 ? 503 : 200;
    });

    const created: string[] = [];
    let next = 0;
    const started = Date.now();
    const writer = async () => {
      while (next < EVENTS) {
        const i = next++;
        const res = await t.request('POST', '/api/v1/conversations', { key: u.key, body: { title: `Load ${i}` } });
        assert.equal(res.status, 200, res.text);
        created.push(res.body.data.id);
        // Unrelated writes by another user contend for the same tables.
        await t.request('POST', '/api/v1/conversations', { key: noise.key, body: { title: `Noise ${i}` } });
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, writer));
    assert.equal(created.length, EVENTS);

    const writtenMs = Date.now() - started;
    const uniqueIds = (path: string) => new Set(receiver.on(path).map((r) => r.headers['webhook-id'] as string));
    const states = await waitFor(async () => {
      const rows = await t.container.db.selectFrom('webhook_deliveries').select(['status']).where('user_id', '=', u.userId).execute();
      return rows.length === EVENTS * 3 && rows.every((s) => s.status === 'delivered') && rows;
    }, 'every delivery to be delivered', 60_000);
    assert.equal(states.length, EVENTS * 3);
    console.log(`wrote ${EVENTS * 2} conversations in ${writtenMs} ms; all delivered ${Date.now() - started} ms after the first write`);
    for (const p of paths) {
      const ids = uniqueIds(p);
      assert.equal(ids.size, EVENTS, p);
      const conversations = new Set(receiver.on(p).map((r) => r.json.data.conversationId as string));
      assert.deepEqual([...conversations].sort(), [...created].sort(), `${p} got exactly the created conversations`);
    }
    assert.equal(receiver.on('/e1').length, EVENTS, 'a healthy endpoint gets no duplicates');
    assert.equal(receiver.on('/e2').length, EVENTS);
    assert.equal(receiver.on('/e3').length, EVENTS + EVENTS / 5, 'retries only for the refused first attempts');

  } finally {
    await h.close();
  }
});
