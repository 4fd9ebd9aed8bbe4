import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pruneExpired } from '../../src/jobs/maintenance.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';

describe(`pruning expired rows (${dbLabel})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  test('buckets outside the rolling hour and keys older than 24 h go; the rest stays', async () => {
    const u = await t.user('professional');
    const now = new Date('2026-06-01T12:00:00Z');
    const minute = Math.floor(now.getTime() / 60_000);
    const db = t.container.db;
    await db
      .insertInto('rate_buckets')
      .values([
        { user_id: u.userId, bucket: minute - 61, count: 7 },
        { user_id: u.userId, bucket: minute - 60, count: 5 },
        { user_id: u.userId, bucket: minute - 59, count: 3 },
        { user_id: u.userId, bucket: minute, count: 1 },
      ])
      .execute();
    const conv = await t.request('POST', '/api/v1/conversations', { key: u.key, body: { content: 'Alice: hi\nBob: hello' } });
    await db
      .insertInto('idempotency_keys')
      .values([
        { user_id: u.userId, key: 'old', request_hash: 'h', conversation_id: conv.body.data.id, created_at: new Date(now.getTime() - 25 * 3600_000) },
        { user_id: u.userId, key: 'fresh', request_hash: 'h', conversation_id: conv.body.data.id, created_at: new Date(now.getTime() - 23 * 3600_000) },
      ])
      .execute();

    const removed = await pruneExpired(db, now);
    assert.ok(removed.buckets >= 2, JSON.stringify(removed));
    // The API request above counted in today's bucket, far after this test's `now`; leave it out.
    const buckets = await db.selectFrom('rate_buckets').select('bucket').where('user_id', '=', u.userId).where('bucket', '<=', minute).orderBy('bucket').execute();
    assert.deepEqual(buckets.map((b) => b.bucket), [minute - 59, minute]);
    const keys = await db.selectFrom('idempotency_keys').select('key').where('user_id', '=', u.userId).execute();
    assert.deepEqual(keys.map((k) => k.key), ['fresh']);
    assert.equal(removed.idempotencyKeys, 1);
  });
});
