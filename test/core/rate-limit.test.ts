// Rate limits: X-RateLimit-* and IETF RateLimit headers on every authenticated response, 429
// rate_limited with Retry-After past the limit, the rolling hour (with an injected clock), the count
// shared by two app instances on one PostgreSQL database, and the 24 h idempotency window.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSecondInstance, startTestApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { dbLabel, usingPostgres } from '../helpers/db.js';
import { assertData, assertError } from './support.js';
import { hitWindow, type WindowState } from '../../src/db/repos/rate-limit.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe(`rate limits (${dbLabel})`, () => {
  let t: TestApp;
  let dir: string;
  // Minute-aligned and close to real time (rows stamped by the database stay comparable).
  const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * HOUR;
  let nowMs = t0;
  const clock = () => new Date(nowMs);
  const sec = (ms: number) => Math.floor(ms / 1000);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'colloquy-rl-'));
    const configFile = join(dir, 'colloquy.json');
    writeFileSync(configFile, JSON.stringify({ tiers: { starter: { requestsPerHour: 5 } } }));
    t = await startTestApp({ env: { COLLOQUY_CONFIG_FILE: configFile }, overrides: { clock } });
  });
  after(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function assertHeaders(res: TestResponse, limit: number, remaining: number, resetMs: number, where = '') {
    const resetAt = sec(resetMs);
    const h = (n: string) => res.headers.get(n);
    assert.equal(h('x-ratelimit-limit'), String(limit), `${where} X-RateLimit-Limit`);
    assert.equal(h('x-ratelimit-remaining'), String(remaining), `${where} X-RateLimit-Remaining`);
    assert.equal(h('x-ratelimit-reset'), String(resetAt), `${where} X-RateLimit-Reset (unix seconds)`);
    assert.equal(h('ratelimit-policy'), `"hourly";q=${limit};w=3600`, `${where} RateLimit-Policy`);
    assert.equal(h('ratelimit'), `"hourly";r=${remaining};t=${resetAt - sec(nowMs)}`, `${where} RateLimit`);
  }

  test('the tier limit comes from the config file', () => {
    assert.equal(t.config.tiers.starter.requestsPerHour, 5);
    assert.equal(t.config.tiers.professional.requestsPerHour, 500);
  });

  test('every authenticated response carries the headers; past the limit 429 rate_limited with Retry-After', async () => {
    nowMs = t0;
    const u = await t.user('starter');
    const reset = t0 + HOUR;
    const calls: Array<[string, string, unknown, number]> = [
      ['GET', '/api/v1/conversations', undefined, 200],
      ['GET', '/api/v1/conversations/sess_missing', undefined, 404],
      ['POST', '/api/v1/conversations', { kind: 'nope' }, 400],
      ['POST', '/api/v1/conversations', { content: 'User: hi\nAssistant: hello' }, 200],
      ['GET', '/api/v1/user/profile', undefined, 200],
    ];
    let remaining = 5;
    for (const [m, p, body, status] of calls) {
      const res = await t.request(m, p, { key: u.key, body });
      assert.equal(res.status, status, `${m} ${p}: ${res.text}`);
      assertHeaders(res, 5, --remaining, reset, `${m} ${p} →`);
      assert.equal(res.headers.get('retry-after'), null);
    }
    for (const [m, p] of [
      ['GET', '/api/v1/conversations'],
      ['POST', '/api/v1/conversations'],
      ['GET', '/api/v1/user/profile'],
    ]) {
      const res = await t.request(m, p, { key: u.key, body: m === 'POST' ? { content: 'User: again' } : undefined });
      assertError(res, 429, 'rate_limited', `${m} ${p}`);
      assert.equal(res.headers.get('retry-after'), '3600');
      assertHeaders(res, 5, 0, reset, '429 →');
    }
    // Rejected requests wrote nothing: only the one create went through.
    const convs = await t.container.db.selectFrom('conversations').select('id').where('user_id', '=', u.userId).execute();
    assert.equal(convs.length, 1);

    // The limit is per user.
    const other = await t.user('starter');
    assertHeaders(await t.request('GET', '/api/v1/conversations', { key: other.key }), 5, 4, reset, 'other user');
    const pro = await t.user('professional');
    assertHeaders(await t.request('GET', '/api/v1/conversations', { key: pro.key }), 500, 499, reset, 'professional');
  });

  test('the window rolls: requests leave it one hour after they were made', async () => {
    nowMs = t0;
    const u = await t.user('starter');
    for (let i = 0; i < 3; i++) assertHeaders(await t.request('GET', '/api/v1/conversations', { key: u.key }), 5, 4 - i, t0 + HOUR);

    nowMs = t0 + 30 * MINUTE;
    assertHeaders(await t.request('GET', '/api/v1/conversations', { key: u.key }), 5, 1, t0 + HOUR);
    const p = await t.request('GET', '/api/v1/user/profile', { key: u.key });
    assertHeaders(p, 5, 0, t0 + HOUR);
    assert.deepEqual(assertData(p).apiUsage.rateLimit, { limit: 5, remaining: 0, resetsAt: new Date(t0 + HOUR).toISOString(), window: '1h' });
    let res = await t.request('GET', '/api/v1/conversations', { key: u.key });
    assertError(res, 429, 'rate_limited');
    assert.equal(res.headers.get('retry-after'), String(30 * 60));

    nowMs = t0 + HOUR - 1000;
    res = await t.request('GET', '/api/v1/conversations', { key: u.key });
    assertError(res, 429, 'rate_limited');
    assert.equal(res.headers.get('retry-after'), '1');

    // The first three requests leave the window; the two from t0+30min stay until t0+90min.
    nowMs = t0 + HOUR;
    assertHeaders(await t.request('GET', '/api/v1/conversations', { key: u.key }), 5, 2, t0 + 90 * MINUTE);
    assertHeaders(await t.request('GET', '/api/v1/conversations', { key: u.key }), 5, 1, t0 + 90 * MINUTE);
    assertHeaders(await t.request('GET', '/api/v1/conversations', { key: u.key }), 5, 0, t0 + 90 * MINUTE);
    res = await t.request('GET', '/api/v1/conversations', { key: u.key });
    assertError(res, 429, 'rate_limited');
    assert.equal(res.headers.get('retry-after'), String(30 * 60));

    nowMs = t0 + 90 * MINUTE;
    assertHeaders(await t.request('GET', '/api/v1/conversations', { key: u.key }), 5, 1, t0 + 120 * MINUTE);

    // Long after, the whole window is free again.
    nowMs = t0 + 5 * HOUR;
    assertHeaders(await t.request('GET', '/api/v1/conversations', { key: u.key }), 5, 4, t0 + 6 * HOUR);
  });

  test('a concurrent burst admits exactly the limit', async () => {
    nowMs = t0 + 8 * HOUR;
    const u = await t.user('starter');
    const results = await Promise.all(Array.from({ length: 20 }, () => t.request('GET', '/api/v1/conversations', { key: u.key })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 5, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 15, statuses.join(','));
    for (const r of results.filter((x) => x.status === 429)) assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
    // The burst is counted in batches; each admitted request is still numbered on its own.
    const remaining = results.filter((x) => x.status === 200).map((r) => Number(r.headers.get('x-ratelimit-remaining')));
    assert.deepEqual(remaining.sort(), [0, 1, 2, 3, 4]);
  });

  test('one statement counts a batch: the requests that fit are admitted and numbered, the rest refused', async () => {
    const u = await t.user('starter');
    const bucket = Math.floor((t0 + 9 * HOUR) / MINUTE);
    const states = ({ states: xs }: { states: WindowState[] }) => xs.map((x) => `${x.admitted ? 'ok' : 'no'}:${x.used}:${x.oldestBucket}`);
    assert.deepEqual(states(await hitWindow(t.container.db, u.userId, bucket, 60, 5, 3)), [`ok:1:${bucket}`, `ok:2:${bucket}`, `ok:3:${bucket}`]);
    assert.deepEqual(states(await hitWindow(t.container.db, u.userId, bucket + 1, 60, 5, 4)), [`ok:4:${bucket}`, `ok:5:${bucket}`, `no:5:${bucket}`, `no:5:${bucket}`]);
    assert.deepEqual(states(await hitWindow(t.container.db, u.userId, bucket + 1, 60, 5, 2)), [`no:5:${bucket}`, `no:5:${bucket}`]);
    // Refused requests were not counted: once the first bucket leaves the window, its 3 come back.
    assert.deepEqual(states(await hitWindow(t.container.db, u.userId, bucket + 60, 60, 5, 4)), [`ok:3:${bucket + 1}`, `ok:4:${bucket + 1}`, `ok:5:${bucket + 1}`, `no:5:${bucket + 1}`]);
  });

  test('idempotency keys are kept 24 hours', async () => {
    nowMs = Date.now();
    const u = await t.user('professional');
    const body = { content: 'User: ttl check\nAssistant: ok', idempotencyKey: 'ttl-key' };
    const first = assertData(await t.request('POST', '/api/v1/conversations', { key: u.key, body }));
    nowMs = Date.now() + 23 * HOUR;
    const replay = await t.request('POST', '/api/v1/conversations', { key: u.key, body });
    assert.equal(assertData(replay).id, first.id);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    nowMs = Date.now() + 25 * HOUR;
    const fresh = await t.request('POST', '/api/v1/conversations', { key: u.key, body });
    assert.notEqual(assertData(fresh).id, first.id, 'an expired key creates a new conversation');
    assert.equal(fresh.headers.get('idempotent-replayed'), null);
    const again = await t.request('POST', '/api/v1/conversations', { key: u.key, body });
    assert.equal(assertData(again).id, fresh.body.data.id);
  });

  test("a busy user's next requests are counted ahead: numbered exactly, far fewer statements, unused ones given back", async () => {
    nowMs = t0 + 14 * HOUR;
    const u = await t.user('enterprise');
    const statements = async () =>
      (await t.container.metrics.dbBatchSize.get()).values.find((v) => v.labels.statement === 'rate_limit' && v.metricName === 'colloquy_db_batch_size_count')?.value ?? 0;
    const counted = async (bucket: number) =>
      Number((await t.container.db.selectFrom('rate_buckets').select('count').where('user_id', '=', u.userId).where('bucket', '=', bucket).executeTakeFirst())?.count ?? 0);
    const before = await statements();
    const remaining: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await t.request('GET', '/api/v1/conversations', { key: u.key });
      assert.equal(res.status, 200, res.text);
      remaining.push(Number(res.headers.get('x-ratelimit-remaining')));
    }
    assert.deepEqual(remaining, Array.from({ length: 60 }, (_, i) => 2000 - i - 1), 'every request numbered exactly');
    const used = (await statements()) - before;
    assert.ok(used <= 15, `60 requests made ${used} rate-limit statements`);
    const bucket = Math.floor(nowMs / MINUTE);
    assert.ok((await counted(bucket)) >= 60, 'the count includes what was taken ahead');
    // The profile does not count what was taken ahead and not used.
    const profile = await t.request('GET', '/api/v1/user/profile', { key: u.key });
    assert.equal(profile.headers.get('x-ratelimit-remaining'), '1939');
    assert.equal(assertData(profile).apiUsage.rateLimit.remaining, 1939);
    // The next minute's first request gives back what the last minute did not use.
    nowMs += MINUTE;
    const next = await t.request('GET', '/api/v1/conversations', { key: u.key });
    assert.equal(next.headers.get('x-ratelimit-remaining'), '1938');
    for (let i = 0; i < 50 && (await counted(bucket)) !== 61; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await counted(bucket), 61, 'the first minute counts exactly the requests made in it');
    // Small limits are never taken ahead: a starter user's count is always exact in the database.
    const s = await t.user('starter');
    for (let i = 0; i < 3; i++) await t.request('GET', '/api/v1/conversations', { key: s.key });
    const starterCount = await t.container.db.selectFrom('rate_buckets').select('count').where('user_id', '=', s.userId).executeTakeFirst();
    assert.equal(Number(starterCount?.count), 3);
  });

  describe('two app instances on one PostgreSQL database', { skip: !usingPostgres }, () => {
    let second: Awaited<ReturnType<typeof startSecondInstance>>;

    before(async () => {
      second = await startSecondInstance(t, { clock });
    });
    after(async () => {
      await second?.close();
    });

    const get2 = (key: string, path = '/api/v1/conversations'): Promise<TestResponse> => second.request('GET', path, { key });

    test('share one user\'s count', async () => {
      nowMs = t0 + 10 * HOUR;
      const u = await t.user('starter');
      const reset = nowMs + HOUR;
      assertHeaders(await t.request('GET', '/api/v1/conversations', { key: u.key }), 5, 4, reset, 'app 1');
      assertHeaders(await get2(u.key), 5, 3, reset, 'app 2');
      assertHeaders(await t.request('GET', '/api/v1/conversations', { key: u.key }), 5, 2, reset, 'app 1');
      assertHeaders(await get2(u.key), 5, 1, reset, 'app 2');
      assertHeaders(await get2(u.key, '/api/v1/user/profile'), 5, 0, reset, 'app 2');
      assertError(await t.request('GET', '/api/v1/conversations', { key: u.key }), 429, 'rate_limited');
      const r2 = await get2(u.key);
      assertError(r2, 429, 'rate_limited');
      assert.equal(r2.headers.get('retry-after'), '3600');
    });

    test('a concurrent burst over both instances admits exactly the limit', async () => {
      nowMs = t0 + 12 * HOUR;
      const u = await t.user('starter');
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? get2(u.key) : t.request('GET', '/api/v1/conversations', { key: u.key }))),
      );
      const statuses = results.map((r) => r.status);
      assert.ok(statuses.every((s) => s === 200 || s === 429), statuses.join(','));
      assert.equal(statuses.filter((s) => s === 200).length, 5, `admitted: ${statuses.join(',')}`);
      const remaining = results.filter((r) => r.status === 200).map((r) => Number(r.headers.get('x-ratelimit-remaining')));
      assert.deepEqual(remaining.sort(), [0, 1, 2, 3, 4]);
    });
  });
});
