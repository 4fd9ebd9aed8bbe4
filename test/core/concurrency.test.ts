// Appends are atomic and ordered under concurrency: 50 parallel appends to one conversation all land,
// exactly once each, at contiguous indices, with an exact segmentCount.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { assertData } from './support.js';

describe(`concurrent appends (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;

  before(async () => {
    t = await startTestApp();
    ({ key } = await t.user('enterprise'));
  });
  after(async () => {
    await t?.close();
  });

  const open = async () => assertData(await t.request('POST', '/api/v1/conversations', { key, body: { status: 'active', title: 'Busy chat' } })).id as string;
  const append = (id: string, messages: unknown[], minimal = true) =>
    t.request('POST', `/api/v1/conversations/${id}/messages`, { key, body: { messages }, headers: minimal ? { prefer: 'return=minimal' } : {} });

  test('50 parallel single-message appends', async () => {
    const id = await open();
    const N = 50;
    const results = await Promise.all(Array.from({ length: N }, (_, i) => append(id, [{ role: i % 2 ? 'assistant' : 'user', content: `message ${i}` }])));
    for (const r of results) assert.equal(r.status, 200, r.text);

    // Each append saw a distinct count: the appends were serialised, none lost.
    const counts = results.map((r) => r.body.data.segmentCount as number).sort((a, b) => a - b);
    assert.deepEqual(counts, Array.from({ length: N }, (_, i) => i + 1));

    const conv = assertData(await t.request('GET', `/api/v1/conversations/${id}`, { key }));
    assert.equal(conv.segmentCount, N);
    const segs = assertData(await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key })).segments as any[];
    assert.equal(segs.length, N);
    assert.deepEqual(
      segs.map((s) => s.index),
      Array.from({ length: N }, (_, i) => i),
      'indices 0..49, contiguous',
    );
    const texts = segs.map((s) => s.text);
    assert.equal(new Set(texts).size, N, 'each message exactly once');
    assert.deepEqual([...texts].sort(), Array.from({ length: N }, (_, i) => `message ${i}`).sort());
    // The order is consistent with what each request was told: the append that saw count k is at k-1.
    results.forEach((r, i) => assert.equal(segs[r.body.data.segmentCount - 1].text, `message ${i}`));
    for (const s of segs) assert.equal(s.role, Number(s.text.split(' ')[1]) % 2 ? 'assistant' : 'user');

    const rows = await t.container.db.selectFrom('segments').select(['idx']).where('conversation_id', '=', id).orderBy('idx').execute();
    assert.deepEqual(
      rows.map((r) => r.idx),
      Array.from({ length: N }, (_, i) => i),
    );
    // The accumulated content has every message once, in transcript order.
    assert.equal(conv.content, segs.map((s) => `${s.role === 'user' ? 'User' : 'Assistant'}: ${s.text}`).join('\n'));
  });

  test('multi-message appends stay contiguous (no interleaving) under concurrency', async () => {
    const id = await open();
    const N = 25;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        append(
          id,
          [
            { role: 'user', content: `question ${i}` },
            { role: 'assistant', content: `answer ${i}` },
            { role: 'user', content: `thanks ${i}` },
          ],
          i % 2 === 0,
        ),
      ),
    );
    for (const r of results) assert.equal(r.status, 200, r.text);
    const segs = assertData(await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key })).segments as any[];
    assert.equal(segs.length, 3 * N);
    const seen = new Set<string>();
    for (let i = 0; i < segs.length; i += 3) {
      const n = segs[i].text.split(' ')[1];
      assert.deepEqual(
        segs.slice(i, i + 3).map((s) => s.text),
        [`question ${n}`, `answer ${n}`, `thanks ${n}`],
        `the batch at ${i} is whole`,
      );
      assert.ok(!seen.has(n), `batch ${n} once`);
      seen.add(n);
    }
    assert.equal(seen.size, N);
    assert.equal(assertData(await t.request('GET', `/api/v1/conversations/${id}`, { key })).segmentCount, 3 * N);
  });

  test('concurrent appends to different conversations do not interfere', async () => {
    const ids = await Promise.all([open(), open(), open()]);
    await Promise.all(ids.flatMap((id, c) => Array.from({ length: 10 }, (_, i) => append(id, [{ role: 'user', content: `c${c} m${i}` }]))));
    for (const [c, id] of ids.entries()) {
      const segs = assertData(await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key })).segments as any[];
      assert.deepEqual(segs.map((s) => s.index), Array.from({ length: 10 }, (_, i) => i));
      assert.ok(segs.every((s) => s.text.startsWith(`c${c} `)));
      assert.equal(new Set(segs.map((s) => s.text)).size, 10);
    }
  });
});
