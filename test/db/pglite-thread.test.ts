// The embedded database runs on a thread of its own: a slow statement keeps that thread busy, not the
// HTTP server's. Statements keep their answers' types (dates, JSON, numbers) and their errors' codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { usingPostgres } from '../helpers/db.js';
import { PGliteRemote } from '../../src/db/pglite-remote.js';

const skip = usingPostgres && 'the embedded database (PGlite) only';
let t: TestApp;

before(async () => {
  if (!skip) t = await startTestApp();
});
after(async () => {
  if (!skip) await t.close();
});

test('the HTTP server answers while the embedded database runs a slow statement', { skip }, async () => {
  const order: string[] = [];
  // Seconds of work inside the database, on its thread.
  const slow = sql<{ n: number }>`select count(*)::int as n from generate_series(1, 3000000) g where g % 7 = 3`
    .execute(t.container.db)
    .then((r) => {
      order.push('slow statement');
      return r.rows[0].n;
    });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const health = await t.request('GET', '/healthz');
  order.push('healthz');
  assert.equal(health.status, 200);
  assert.equal(await slow, 428572);
  // On the server's own thread the statement would have held every request until it finished.
  assert.deepEqual(order, ['healthz', 'slow statement']);
});

test('answers keep their types and errors their codes across the thread', { skip }, async () => {
  const r = await sql<{ at: Date; doc: { a: number[] }; n: number; big: number | bigint; nothing: null; bytes: Uint8Array }>`
    select timestamptz '2026-03-02T10:00:00Z' as at, '{"a":[1,2]}'::jsonb as doc, 42::int as n, 5::int8 as big, null as nothing, '\\x0102'::bytea as bytes`.execute(t.container.db);
  const row = r.rows[0];
  assert.ok(row.at instanceof Date);
  assert.equal(row.at.toISOString(), '2026-03-02T10:00:00.000Z');
  assert.deepEqual(row.doc, { a: [1, 2] });
  assert.equal(row.n, 42);
  assert.equal(Number(row.big), 5);
  assert.equal(row.nothing, null);
  assert.deepEqual([...row.bytes], [1, 2]);
  await assert.rejects(sql`select * from no_such_table`.execute(t.container.db), (err: { code?: string; message?: string }) => err.code === '42P01' && /no_such_table/.test(err.message ?? ''));
  const { userId } = await t.user('starter');
  await assert.rejects(
    sql`insert into users (id, email, name, tier) values (${userId}, 'x@example.com', 'X', 'starter')`.execute(t.container.db),
    (err: { code?: string }) => err.code === '23505',
  );
  // A transaction still sees its own writes and nothing of it survives a rollback.
  await assert.rejects(
    t.container.db.transaction().execute(async (trx) => {
      await sql`update users set name = 'Changed' where id = ${userId}`.execute(trx);
      assert.equal((await sql<{ name: string }>`select name from users where id = ${userId}`.execute(trx)).rows[0].name, 'Changed');
      throw new Error('roll back');
    }),
    /roll back/,
  );
  assert.notEqual((await sql<{ name: string }>`select name from users where id = ${userId}`.execute(t.container.db)).rows[0].name, 'Changed');
});

test('a database the thread cannot open fails as unavailable (EIO, 503), and the thread is closed', { skip }, async () => {
  // A data folder under a regular file cannot be created.
  const remote = new PGliteRemote('/dev/null/colloquy');
  await assert.rejects(remote.waitReady, (err: { code?: string; message?: string }) => err.code === 'EIO' && /embedded database's thread stopped/.test(err.message ?? ''));
  await assert.rejects(remote.query('select 1'), (err: { code?: string }) => err.code === 'EIO');
  await remote.close();
  assert.equal(remote.closed, true);
});
