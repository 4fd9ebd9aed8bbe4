// The worker's guarantees: several workers on one PostgreSQL never send one delivery twice, a
// dead worker's lease runs out, and stopping finishes the attempt in flight and returns the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Database } from '../../src/db/database.js';
import { claimDue } from '../../src/domain/webhooks/claim.js';
import { enqueueEvents, type OutboxEvent } from '../../src/domain/webhooks/outbox.js';
import { runWebhookWorker } from '../../src/domain/webhooks/starter.js';
import { DeliveryWorker } from '../../src/domain/webhooks/worker.js';
import { guardedDispatcher } from '../../src/integrations/net/ssrf.js';
import { usingPostgres } from '../helpers/db.js';
import { register, sleep, startHarness, waitFor } from './helpers.js';

const created = (n: number, prefix: string): OutboxEvent[] =>
  Array.from({ length: n }, (_, i) => ({ event: 'conversation.created' as const, data: { conversationId: `sess_${prefix}${i}` } }));

test('two workers on one PostgreSQL never deliver the same attempt twice', { skip: !usingPostgres && 'needs PostgreSQL (TEST_DATABASE_URL)' }, async () => {
  const h = await startHarness({ worker: false });
  const pools: Database[] = [];
  const workers: DeliveryWorker[] = [];
  const dispatchers = [guardedDispatcher({ allowPrivate: true }), guardedDispatcher({ allowPrivate: true })];
  try {
    const { t, receiver } = h;
    const u = await t.user('enterprise');
    const ENDPOINTS = 12;
    const PER = 40;
    for (let i = 0; i < ENDPOINTS; i++) {
      await register(t, u.key, receiver.url(`/w${i}`), ['conversation.created']);
      // Small random delays make the two workers' claims interleave.
      receiver.respond(`/w${i}`, async () => {
        await sleep(Math.random() * 4);
        return 200;
      });
    }
    // The backlog exists before either worker starts, so both go after the same rows at once.
    for (let b = 0; b < 4; b++) await enqueueEvents(t.container.db, t.container.newId, u.userId, created(PER / 4, `b${b}_`));

    // The raw claim, raced from two separate connection pools: no row may be claimed twice.
    for (let i = 0; i < 2; i++) pools.push(await openDatabase({ databaseUrl: t.databaseUrl, poolSize: 6 }));
    const now = new Date();
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        claimDue(pools[i % 2].db, { now, leaseUntil: new Date(now.getTime() + 5_000), owner: `race${i}`, limit: 30, perEndpoint: 10 }),
      ),
    );
    const claimedIds = claims.flat().map((d) => d.id);
    assert.ok(claimedIds.length > 0);
    assert.equal(new Set(claimedIds).size, claimedIds.length, 'a row was claimed by two claims');
    await t.container.db.updateTable('webhook_deliveries').set({ locked_until: null, locked_by: null }).execute();

    const attemptsBy = [0, 0];
    for (let i = 0; i < 2; i++) {
      const w = new DeliveryWorker({
        db: pools[i].db,
        dispatcher: dispatchers[i],
        schedule: [0, 1, 1],
        maxInFlight: 6,
        perEndpoint: 3,
        idlePollMs: 20,
        busyPollMs: 10,
        onAttempt: () => attemptsBy[i]++,
      });
      workers.push(w);
    }
    for (const w of workers) w.start();

    const total = ENDPOINTS * PER;
    await waitFor(() => receiver.received.length >= total, `${total} deliveries`, 60_000);
    await waitFor(async () => {
      const rows = await t.container.db.selectFrom('webhook_deliveries').select('status').where('status', '!=', 'delivered').execute();
      return rows.length === 0;
    }, 'every attempt to be recorded');
    await sleep(300); // anything sent twice would show up now
    const ids = receiver.received.map((r) => r.headers['webhook-id'] as string);
    assert.equal(ids.length, total, 'no delivery was sent twice');
    assert.equal(new Set(ids).size, total);
    assert.ok(attemptsBy[0] > 0 && attemptsBy[1] > 0, `both workers delivered (${attemptsBy.join(' / ')})`);
    assert.equal(attemptsBy[0] + attemptsBy[1], total);

    const attempts = await t.container.db.selectFrom('webhook_attempts').select(['delivery_id']).execute();
    assert.equal(attempts.length, total, 'one attempt row per delivery');
    const states = await t.container.db.selectFrom('webhook_deliveries').select(['status', 'attempts', 'locked_by']).execute();
    assert.ok(states.every((s) => s.status === 'delivered' && s.attempts === 1 && s.locked_by === null));

  } finally {
    for (const w of workers) await w.stop();
    for (const d of dispatchers) await d.close();
    for (const p of pools) await p.close();
    await h.close();
  }
});

test("a dead worker's lease runs out and another worker delivers, exactly once", async () => {
  const h = await startHarness({ worker: false });
  try {
    const { t, receiver } = h;
    const u = await t.user('professional');
    await register(t, u.key, receiver.url('/lease'), ['conversation.created']);
    await enqueueEvents(t.container.db, t.container.newId, u.userId, created(1, 'lease'));
    // A worker claims the delivery and dies before sending it.
    const now = new Date();
    const leaseEnds = now.getTime() + 1_500;
    const [claimed] = await claimDue(t.container.db, { now, leaseUntil: new Date(leaseEnds), owner: 'w_dead', limit: 8, perEndpoint: 4 });
    assert.ok(claimed);

    const worker = await runWebhookWorker(t.container, { listenUrl: t.databaseUrl, idlePollMs: 50 });
    try {
      await waitFor(() => receiver.on('/lease').length >= 1, 'delivery after the lease expired', 10_000);
      const [got] = receiver.on('/lease');
      assert.ok(got.at >= leaseEnds, `sent ${leaseEnds - got.at} ms before the lease ended`);
      assert.equal(got.headers['webhook-id'], claimed.id);
      await sleep(300);
      assert.equal(receiver.on('/lease').length, 1);
    } finally {
      await worker.stop();
    }
  } finally {
    await h.close();
  }
});

test('stop() finishes the attempts in flight, records them, and leaves no lease behind', async () => {
  const h = await startHarness({ worker: false });
  try {
    const { t, receiver } = h;
    const u = await t.user('professional');
    const hook = await register(t, u.key, receiver.url('/slow'), ['conversation.created']);
    receiver.respond('/slow', async () => {
      await sleep(400);
      return 200;
    });
    await enqueueEvents(t.container.db, t.container.newId, u.userId, created(10, 'slow'));
    const queued = await t.container.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', hook.id).orderBy('created_at').execute();

    const first = await runWebhookWorker(t.container, { listenUrl: t.databaseUrl });
    await waitFor(() => receiver.on('/slow').length >= 1, 'the first request');
    const inFlight = first.worker.inFlight;
    assert.ok(inFlight >= 1 && inFlight <= 4, `${inFlight} in flight: at most 4 to one endpoint`);
    await first.stop();
    const rows = await t.container.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'status', 'attempts', 'locked_until', 'locked_by'])
      .where('webhook_id', '=', hook.id)
      .orderBy('created_at')
      .execute();
    const sent = receiver.on('/slow').length;
    assert.equal(rows.filter((r) => r.status === 'delivered').length, sent, 'every attempt that went out was completed and recorded');
    assert.deepEqual(
      rows.map((r) => r.status),
      [...Array(sent).fill('delivered'), ...Array(10 - sent).fill('pending')],
      'the oldest went first',
    );
    assert.ok(rows.every((r) => r.locked_until === null && r.locked_by === null), 'no lease is left behind');

    const second = await runWebhookWorker(t.container, { listenUrl: t.databaseUrl });
    try {
      await waitFor(() => receiver.on('/slow').length >= 10, 'the rest, from a new worker');
      await sleep(200);
      const ids = receiver.on('/slow').map((r) => r.headers['webhook-id'] as string);
      assert.equal(ids.length, 10, 'each sent once');
      assert.deepEqual(new Set(ids), new Set(queued.map((q) => q.id)));
    } finally {
      await second.stop();
    }
  } finally {
    await h.close();
  }
});
