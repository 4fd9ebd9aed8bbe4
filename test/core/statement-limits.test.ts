// Every statement of the API is bounded on PostgreSQL: a list search past COLLOQUY_SEARCH_TIMEOUT_MS
// and any statement past COLLOQUY_STATEMENT_TIMEOUT_MS are stopped by the server (SQLSTATE 57014) and
// answered 503 with a message that says what to do; the pool is free again at once. A lock held by
// another session makes the statements wait, so the limits are reached whatever the machine's speed
// (the rate-limit statement of every request also reads conversations, so the search's own limit is
// shown with the segments locked). A search whose client hangs up is cancelled in the database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { usingPostgres } from '../helpers/db.js';
import { assertData, assertError } from './support.js';

const skip = !usingPostgres && 'statement_timeout is a PostgreSQL setting (TEST_DATABASE_URL)';
let t: TestApp;
let key: string;

before(async () => {
  if (skip) return;
  t = await startTestApp({ env: { COLLOQUY_STATEMENT_TIMEOUT_MS: '1500', COLLOQUY_SEARCH_TIMEOUT_MS: '300' } });
  ({ key } = await t.user('professional'));
  for (let i = 0; i < 3; i++) assertData(await t.request('POST', '/api/v1/conversations', { key, body: { title: `Sync ${i}`, segments: [{ speaker: 'Ann', text: 'The budget is tight this quarter.' }] } }));
});
after(async () => {
  if (!skip) await t.close();
});

test('a search or a list that waits past its limit is 503 with advice; both work again once the lock is gone', { skip }, async () => {
  const blocker = new pg.Client({ connectionString: t.databaseUrl! });
  await blocker.connect();
  try {
    // Only a search reads segments: with them locked, the search waits and is stopped at its own
    // limit, well before the general one, while a plain list is answered meanwhile.
    await blocker.query('begin');
    await blocker.query('lock table segments in access exclusive mode');
    const t0 = performance.now();
    const search = await t.request('GET', '/api/v1/conversations?search=budget', { key });
    const searchMs = performance.now() - t0;
    assertError(search, 503, 'service_unavailable');
    assert.match(search.body.error.message, /time limit/);
    assert.ok(search.headers.get('retry-after'), 'Retry-After');
    assert.ok(searchMs < 1500, `the search was stopped by its own limit (0.3 s), not the general one (1.5 s): ${searchMs.toFixed(0)} ms`);
    assert.equal((await t.request('GET', '/api/v1/conversations', { key })).status, 200, 'a plain list does not wait for the search');
    await blocker.query('rollback');
    // With the conversations locked, any statement of the request waits: stopped at the general limit.
    await blocker.query('begin');
    await blocker.query('lock table conversations in access exclusive mode');
    const list = await t.request('GET', '/api/v1/conversations', { key });
    assertError(list, 503, 'service_unavailable');
    assert.match(list.body.error.message, /time limit/);
  } finally {
    await blocker.query('rollback').catch(() => {});
    await blocker.end();
  }
  const search = assertData(await t.request('GET', '/api/v1/conversations?search=budget', { key }));
  assert.equal(search.length, 3);
  const page = await t.request('GET', '/api/v1/conversations', { key });
  assert.equal(page.status, 200);
  assert.equal(page.body.pagination.total, 3);
});

test('searches beyond the per-user share wait their turn instead of failing', { skip }, async () => {
  const results = await Promise.all(Array.from({ length: 8 }, () => t.request('GET', '/api/v1/conversations?search=budget', { key })));
  for (const r of results) assert.equal(r.status, 200, r.text);
  assert.deepEqual(t.container.conversations.searchLoad, { running: 0, waiting: 0 });
});

test('a search whose client hangs up is cancelled in the database at once, not left to its time limit', { skip }, async () => {
  // Limits far longer than the test: only the cancellation can end the statements in time.
  const slow = await startTestApp({ env: { COLLOQUY_STATEMENT_TIMEOUT_MS: '60000', COLLOQUY_SEARCH_TIMEOUT_MS: '60000' } });
  const blocker = new pg.Client({ connectionString: slow.databaseUrl! });
  try {
    const { key: k } = await slow.user('professional');
    assertData(await slow.request('POST', '/api/v1/conversations', { key: k, body: { title: 'Sync', segments: [{ speaker: 'Ann', text: 'The budget is tight.' }] } }));
    await blocker.connect();
    const blockerPid = (await blocker.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    const blockedByUs = async () =>
      Number((await blocker.query('select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [blockerPid])).rows[0].n);
    const until = async (what: string, done: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await done()); i++) await new Promise((r) => setTimeout(r, 25));
      assert.ok(await done(), what);
    };
    await blocker.query('begin');
    await blocker.query('lock table segments in access exclusive mode');
    for (const path of ['/api/v1/conversations?search=budget', '/api/v1/search?q=budget']) {
      const client = new AbortController();
      const pending = fetch(slow.url + path, { headers: { authorization: `Bearer ${k}` }, signal: client.signal }).catch((e: Error) => e);
      await until(`${path}: its statement waits for the lock`, async () => (await blockedByUs()) === 1);
      client.abort();
      assert.equal(((await pending) as Error).name, 'AbortError');
      const t0 = performance.now();
      await until(`${path}: its statement is cancelled once the client has gone`, async () => (await blockedByUs()) === 0);
      assert.ok(performance.now() - t0 < 5000);
    }
    await blocker.query('rollback');
    // The connections went back to the pool, and the admission queue is empty again.
    await until('the searches released their turns', async () => slow.container.conversations.searchLoad.running === 0);
    assert.equal(assertData(await slow.request('GET', '/api/v1/search?q=budget', { key: k })).length, 1);
  } finally {
    await blocker.query('rollback').catch(() => {});
    await blocker.end().catch(() => {});
    await slow.close();
  }
});
