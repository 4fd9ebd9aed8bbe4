// Feed URLs are user input: without COLLOQUY_CALENDAR_ALLOW_PRIVATE they must be public https
// addresses, checked when saved and again whenever the feed is fetched.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { fetchIcs } from '../../src/integrations/calendar/fetch-ics.js';
import { BlockedDestinationError, type LookupFn } from '../../src/integrations/net/ssrf.js';
import { AppError } from '../../src/domain/errors.js';
import { fixture, serveIcs, startLocalServer, type LocalServer } from './support.js';

function refused(res: TestResponse, where: string): string {
  assert.equal(res.status, 400, `${where}: ${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(res.body.error.code, 'validation_error', where);
  assert.ok(res.body.error.details?.url, `${where}: details name url: ${res.text}`);
  return res.body.error.message as string;
}

describe(`calendar feed URLs and SSRF (${dbLabel})`, () => {
  let t: TestApp;
  let feeds: LocalServer;
  let user: Awaited<ReturnType<TestApp['user']>>;

  before(async () => {
    feeds = await startLocalServer({
      '/feeds/work.ics': serveIcs(fixture('google-work.ics')),
      '/slow': () => {
        /* never answers */
      },
    });
    t = await startTestApp();
    user = await t.user('starter');
  });
  after(async () => {
    await t?.close();
    await feeds?.close();
  });

  test('private, loopback, link-local and non-https feed URLs are refused when saved', async () => {
    const port = new URL(feeds.url).port;
    const cases: Array<[string, RegExp]> = [
      [`${feeds.url}/feeds/work.ics`, /only https/],
      [`https://127.0.0.1:${port}/feeds/work.ics`, /loopback/],
      ['https://localhost/calendar.ics', /loopback/],
      ['https://app.localhost/calendar.ics', /loopback/],
      ['https://10.0.0.5/calendar.ics', /private/],
      ['https://192.168.1.20/calendar.ics', /private/],
      ['https://169.254.169.254/latest/meta-data/', /link-local/],
      ['https://[::1]/calendar.ics', /loopback/],
      ['https://[::ffff:127.0.0.1]/calendar.ics', /loopback/],
      ['https://0x7f.1/calendar.ics', /loopback/],
      ['https://2130706433/calendar.ics', /loopback/],
      ['webcal://127.0.0.1/calendar.ics', /loopback/],
      ['https://user:secret@93.184.216.34/calendar.ics', /credentials/],
      ['file:///etc/passwd', /only https/],
    ];
    for (const [url, why] of cases) {
      const message = refused(await t.request('PUT', '/api/v1/calendar/source', { key: user.key, body: { type: 'ics', url } }), url);
      assert.match(message, why, url);
    }
    assert.equal((await t.request('GET', '/api/v1/calendar/source', { key: user.key })).status, 404, 'nothing was saved');
    assert.equal(feeds.hits.get('/feeds/work.ics') ?? 0, 0, 'nothing was fetched');
  });

  test('the CLI admin operation applies the same check', async () => {
    const { adminOps } = await import('../../src/domain/admin-operations.js');
    await assert.rejects(adminOps(t.container).calendarSet({ email: user.email, ics: `${feeds.url}/feeds/work.ics` }), (err: unknown) => {
      assert.ok(err instanceof BlockedDestinationError);
      return true;
    });
  });

  test('a stored private URL is refused again at fetch time and never contacted', async () => {
    // As if saved while the operator allowed private addresses, or written by hand.
    await t.container.db
      .insertInto('calendar_sources')
      .values({ user_id: user.userId, type: 'ics', config: JSON.stringify({ url: `${feeds.url}/feeds/work.ics` }) })
      .execute();
    const res = await t.request('GET', '/api/v1/calendar/events', { key: user.key });
    assert.match(refused(res, 'stored URL'), /URL refused/);
    assert.equal(feeds.hits.get('/feeds/work.ics') ?? 0, 0);
    await t.container.db.deleteFrom('calendar_sources').where('user_id', '=', user.userId).execute();
  });

  test('DNS rebinding: a name that turns private between the check and the connection is refused by the dispatcher', async () => {
    const asked: string[] = [];
    let calls = 0;
    const lookup: LookupFn = async (hostname) => {
      asked.push(hostname);
      // First answer (the pre-request check) is public, every later one (the connect) is loopback.
      return calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    };
    await assert.rejects(fetchIcs('https://calendar.rebind.test/feed.ics', { allowPrivate: false, lookup, timeoutMs: 5000 }), (err: unknown) => {
      assert.ok(err instanceof BlockedDestinationError, String(err));
      assert.match(err.reason, /loopback address 127\.0\.0\.1/);
      return true;
    });
    assert.ok(asked.length >= 2, 'resolved again at connect time');
  });

  test('a feed that does not answer times out as upstream_error', async () => {
    const started = Date.now();
    await assert.rejects(fetchIcs(`${feeds.url}/slow`, { allowPrivate: true, timeoutMs: 300 }), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'upstream_error');
      assert.match(err.message, /did not answer within/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
  });
});
