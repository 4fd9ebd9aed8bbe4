// Appends are atomic and ordered under concurrency: 50 parallel appends to one conversation all land,
// exactly once each, at contiguous indices, with an exact segmentCount.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSecondInstance, startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel, usingPostgres } from '../helpers/db.js';
import type { Container } from '../../src/container.js';
import { assertData } from './support.js';
import { ItemFailure } from '../../src/db/coalesce.js';

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

  test('appends that fail in a burst fail alone: unknown ids, final statuses, other users', async () => {
    const ok = await open();
    const done = await open();
    assert.equal((await t.request('POST', `/api/v1/conversations/${done}/messages`, { key, body: { messages: [{ role: 'user', content: 'bye' }], status: 'completed' } })).status, 200);
    const other = await t.user('enterprise');
    const theirs = assertData(await t.request('POST', '/api/v1/conversations', { key: other.key, body: { status: 'active', title: 'Not yours' } })).id as string;
    const burst = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => append(ok, [{ role: 'user', content: `kept ${i}` }])),
      append('sess_doesNotExist0000000', [{ role: 'user', content: 'lost' }]),
      t.request('POST', `/api/v1/conversations/${done}/messages`, { key, body: { messages: [{ role: 'user', content: 'reopen' }], status: 'in_progress' } }),
      append(theirs, [{ role: 'user', content: 'intruder' }]),
      ...Array.from({ length: 6 }, (_, i) => append(ok, [{ role: 'user', content: `kept ${i + 6}` }])),
    ]);
    assert.deepEqual(
      burst.map((r) => r.status),
      [...Array(6).fill(200), 404, 409, 404, ...Array(6).fill(200)],
    );
    assert.equal(burst[7].body.error.code, 'conflict');
    const segs = assertData(await t.request('GET', `/api/v1/conversations/${ok}/transcript`, { key })).segments as any[];
    assert.deepEqual(segs.map((s) => s.index), Array.from({ length: 12 }, (_, i) => i));
    assert.deepEqual(segs.map((s) => s.text).sort(), Array.from({ length: 12 }, (_, i) => `kept ${i}`).sort());
    const doneNow = assertData(await t.request('GET', `/api/v1/conversations/${done}`, { key }));
    assert.equal(doneNow.status, 'completed');
    assert.equal(doneNow.segmentCount, 1, 'the refused append wrote nothing');
    const theirsNow = assertData(await t.request('GET', `/api/v1/conversations/${theirs}`, { key: other.key }));
    assert.equal(theirsNow.segmentCount, 0, "nothing was written to the other user's conversation");
  });

  test('a grouped append statement that fails is retried one append at a time, so only the bad append fails', async () => {
    const a = await open();
    const b = await open();
    const now = new Date();
    const { userId } = await t.container.accounts.authenticate(`Bearer ${key}`);
    const input = (conversationId: string, text: string, extra: string | null) => ({
      userId,
      conversationId,
      segments: [{ speaker: 'user', text, ts: null, role: 'user', extra }],
      status: null,
      metadata: null,
      changedFields: ['messages', 'segmentCount'],
      now,
    });
    // Reaches the database only when several appends share a statement: `extra` that is not JSON
    // fails the whole statement there, which the service must not let fail the good append.
    const group = (t.container.conversations as unknown as { appendGroup(batch: unknown[]): Promise<unknown[]> }).appendGroup.bind(t.container.conversations);
    const out = (await group([input(a, 'good one', null), input(b, 'bad one', '{not json'), input(a, 'good two', '{"k":1}')])) as any[];
    assert.equal(out[0].kind, 'ok');
    assert.ok(out[1] instanceof ItemFailure, 'the bad append fails alone');
    assert.equal((await t.container.metrics.dbBatchRetries.get()).values.find((v) => v.labels.statement === 'append')?.value, 1);
    assert.equal(out[2].kind, 'ok');
    const segsA = assertData(await t.request('GET', `/api/v1/conversations/${a}/transcript`, { key })).segments as any[];
    assert.deepEqual(segsA.map((s) => s.text), ['good one', 'good two']);
    const segsB = assertData(await t.request('GET', `/api/v1/conversations/${b}/transcript`, { key })).segments as any[];
    assert.equal(segsB.length, 0);
  });

  test('concurrent key creates cannot exceed the tier\'s key limit', async () => {
    const u = await t.user('professional'); // 3 keys allowed; the helper made the first
    // Straight to the service, so the creates overlap as closely as the database allows.
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => t.container.accounts.createKey(u.userId, `k${i}`)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'forbidden');
    const keys = assertData(await t.request('GET', '/api/v1/keys', { key: u.key })) as { revokedAt: string | null }[];
    assert.equal(keys.filter((k) => k.revokedAt === null).length, 3);
  });

  test('identical list pages asked for together share one statement, and none misses what was written before it was asked for', async () => {
    const { key: lister } = await t.user('enterprise');
    const listed = async () => {
      const sizes = (await t.container.metrics.dbBatchSize.get()).values.filter((v) => v.labels.statement === 'conversation_list');
      return {
        sum: sizes.find((v) => v.metricName === 'colloquy_db_batch_size_sum')?.value ?? 0,
        count: sizes.find((v) => v.metricName === 'colloquy_db_batch_size_count')?.value ?? 0,
      };
    };
    const create = async (title: string) => assertData(await t.request('POST', '/api/v1/conversations', { key: lister, body: { title } })).id as string;
    const list = () => t.request('GET', '/api/v1/conversations?limit=5', { key: lister });
    for (let i = 0; i < 3; i++) await create(`Seed ${i}`);

    const before = await listed();
    const burst = await Promise.all(Array.from({ length: 30 }, list));
    for (const r of burst) assert.equal(r.status, 200, r.text);
    assert.ok(burst.every((r) => r.text === burst[0].text), 'every request of the burst got the same page');
    assert.equal(burst[0].body.pagination.total, 3);
    const after = await listed();
    assert.equal(after.sum - before.sum, 30, 'every request was counted in a statement');
    assert.ok(after.count - before.count < 30, `requests shared statements: 30 pages in ${after.count - before.count} statements`);

    // A page asked for after a write is answered by a statement that starts after it: lists already in
    // flight when the conversation was created never answer a request made after the create returned.
    for (let round = 0; round < 8; round++) {
      const inFlight = Array.from({ length: 6 }, list);
      const id = await create(`Round ${round}`);
      const page = assertData(await list()) as any[];
      assert.equal(page[0].id, id, `round ${round}: the new conversation leads the next page`);
      for (const r of await Promise.all(inFlight)) assert.equal(r.status, 200, r.text);
    }
    const total = (await list()).body.pagination.total;
    assert.equal(total, 11);
  });

  describe('two app instances on one PostgreSQL database', { skip: !usingPostgres }, () => {
    let second: Awaited<ReturnType<typeof startSecondInstance>>;

    before(async () => {
      second = await startSecondInstance(t);
    });
    after(async () => {
      await second?.close();
    });

    test('grouped appends from both instances to the same conversations, in opposite orders: none lost, no deadlock', async () => {
      const ids = await Promise.all(Array.from({ length: 6 }, () => open()));
      const append2 = (id: string, content: string) =>
        second.request('POST', `/api/v1/conversations/${id}/messages`, { key, body: { messages: [{ role: 'user', content }] }, headers: { prefer: 'return=minimal' } });
      const retries = async (c: Container) => (await c.metrics.dbBatchRetries.get()).values.reduce((a, v) => a + v.value, 0);
      const retriesBefore = [await retries(t.container), await retries(second.container)];
      const rounds = 8;
      const results = await Promise.all(
        Array.from({ length: rounds }, (_, r) => [
          ...ids.map((id, c) => append(id, [{ role: 'user', content: `one r${r} c${c}` }])),
          ...[...ids].reverse().map((id) => append2(id, `two r${r} c${ids.indexOf(id)}`)),
        ]).flat(),
      );
      for (const res of results) assert.equal(res.status, 200, res.text);
      // Appends were grouped (some statement carried several), and no grouped statement failed — a
      // deadlock between the instances would have been retried one by one and counted here.
      for (const [k, c] of [t.container, second.container].entries()) {
        const sizes = (await c.metrics.dbBatchSize.get()).values.filter((v) => v.labels.statement === 'append');
        const sum = sizes.find((v) => v.metricName === 'colloquy_db_batch_size_sum')?.value ?? 0;
        const count = sizes.find((v) => v.metricName === 'colloquy_db_batch_size_count')?.value ?? 0;
        assert.ok(count > 0 && sum > count, `appends were grouped: ${sum} appends in ${count} statements`);
        assert.equal(await retries(c), retriesBefore[k], 'no grouped statement failed');
      }
      for (const [c, id] of ids.entries()) {
        const segs = assertData(await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key })).segments as any[];
        assert.deepEqual(segs.map((s) => s.index), Array.from({ length: 2 * rounds }, (_, i) => i));
        const expected = Array.from({ length: rounds }, (_, r) => [`one r${r} c${c}`, `two r${r} c${c}`]).flat().sort();
        assert.deepEqual(segs.map((s) => s.text).sort(), expected);
      }
    });
  });
});
