// GET /api/v1/calendar/events and the /calendar/source resource with an ICS feed served on 127.0.0.1.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { fixture, manualClock, serveIcs, startLocalServer, type LocalServer } from './support.js';

function data<T = any>(res: TestResponse, status = 200): T {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  assert.deepEqual(Object.keys(res.body), ['data']);
  return res.body.data as T;
}

function error(res: TestResponse, status: number, code: string): { message: string; details?: Record<string, string> } {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text.slice(0, 500)}`);
  assert.equal(res.body.error.code, code);
  return res.body.error;
}

describe(`calendar API with an ICS feed (${dbLabel})`, () => {
  let t: TestApp;
  let feeds: LocalServer;
  let user: Awaited<ReturnType<TestApp['user']>>;
  const time = manualClock('2026-03-02T12:00:00.000Z');

  const events = (query = '', key = user.key) => t.request('GET', `/api/v1/calendar/events${query}`, { key });
  const setSource = (body: unknown, key = user.key) => t.request('PUT', '/api/v1/calendar/source', { key, body });

  before(async () => {
    feeds = await startLocalServer({
      '/feeds/work.ics': serveIcs(fixture('google-work.ics')),
      '/feeds/outlook.ics': serveIcs(fixture('outlook-floating.ics')),
      // Google's "secret address in iCal format": an encoded address and a private token in the path.
      '/calendar/ical/alice.chen%40example.com/private-3f9a0c1d2e7b4a5968f0e1d2c3b4a596/basic.ics': serveIcs(fixture('google-work.ics')),
      '/moved': (_req, res) => res.writeHead(302, { location: '/feeds/work.ics' }).end(),
      // A chain of redirects: /hop/N redirects to /hop/N-1, and /hop/1 to the feed.
      '/hop/1': (_req, res) => res.writeHead(302, { location: '/feeds/work.ics' }).end(),
      '/hop/2': (_req, res) => res.writeHead(301, { location: '/hop/1' }).end(),
      '/hop/3': (_req, res) => res.writeHead(307, { location: '/hop/2' }).end(),
      '/hop/4': (_req, res) => res.writeHead(302, { location: '/hop/3' }).end(),
      '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
      '/gone': (_req, res) => res.writeHead(404).end('gone'),
      '/broken': (_req, res) => res.writeHead(503).end('down'),
      '/login': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Please sign in</body></html>'),
      '/huge': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/calendar' });
        const chunk = Buffer.alloc(1024 * 1024, 'X');
        for (let i = 0; i < 6; i++) res.write(chunk);
        res.end();
      },
    });
    t = await startTestApp({ env: { COLLOQUY_CALENDAR_ALLOW_PRIVATE: 'true' }, overrides: { clock: time.clock } });
    user = await t.user('starter');
  });
  after(async () => {
    await t?.close();
    await feeds?.close();
  });

  test('without a source: 400 validation_error that says how to connect one; GET source is 404', async () => {
    const e = error(await events(), 400, 'validation_error');
    assert.match(e.message, /PUT \/api\/v1\/calendar\/source/);
    assert.match(e.message, /dashboard/);
    assert.match(e.message, /colloquy calendar set --email/);
    assert.deepEqual(Object.keys(e.details ?? {}), ['calendar']);
    assert.match(error(await t.request('GET', '/api/v1/calendar/source', { key: user.key }), 404, 'not_found').message, /PUT \/api\/v1\/calendar\/source/);
  });

  test('connect a feed, read it back, list upcoming events (default maxResults 10, timeMin now)', async () => {
    const url = `${feeds.url}/feeds/work.ics`;
    const src = data(await setSource({ type: 'ics', url }));
    assert.equal(src.type, 'ics');
    assert.equal(src.url, url);
    assert.deepEqual(Object.keys(src).sort(), ['createdAt', 'type', 'updatedAt', 'url']);
    assert.deepEqual(data(await t.request('GET', '/api/v1/calendar/source', { key: user.key })), src);

    const list = data<any[]>(await events());
    assert.equal(list.length, 10);
    assert.deepEqual(list.slice(0, 5).map((e) => [e.start, e.title]), [
      ['2026-03-02T11:30:00.000Z', 'Customer call — Acme renewal'],
      ['2026-03-03T15:00:00.000Z', 'Weekly product sync'],
      ['2026-03-05T15:00:00.000Z', 'Berlin design review'],
      ['2026-03-10T14:00:00.000Z', 'Weekly product sync'],
      ['2026-03-12', 'Company offsite'],
    ]);
    const sync = list[1];
    assert.deepEqual(Object.keys(sync).sort(), ['allDay', 'attendees', 'description', 'end', 'id', 'location', 'meetingLink', 'start', 'timeZone', 'title']);
    assert.deepEqual(
      { id: sync.id, end: sync.end, timeZone: sync.timeZone, allDay: sync.allDay, location: sync.location, meetingLink: sync.meetingLink },
      {
        id: '7kq2m5tq0b4h8c9d3e1f6g2h1i@google.com_20260303T150000Z',
        end: '2026-03-03T15:30:00.000Z',
        timeZone: 'America/New_York',
        allDay: false,
        location: null,
        meetingLink: 'https://meet.google.com/abc-defg-hij',
      },
    );
    assert.deepEqual(sync.attendees[1], { name: 'Bob Martínez', email: 'bob.martinez@example.com' });
    // Without a description the key is left out.
    assert.ok(!('description' in list[4]));
  });

  test("Google's secret iCal address works like any feed", async () => {
    const u = await t.user('starter');
    const url = `${feeds.url}/calendar/ical/alice.chen%40example.com/private-3f9a0c1d2e7b4a5968f0e1d2c3b4a596/basic.ics`;
    assert.equal(data(await setSource({ type: 'ics', url }, u.key)).url, url);
    assert.deepEqual(data<any[]>(await events('?maxResults=2', u.key)).map((e) => e.title), ['Customer call — Acme renewal', 'Weekly product sync']);
  });

  test('maxResults and timeMin', async () => {
    data(await setSource({ type: 'ics', url: `${feeds.url}/feeds/work.ics` }));
    assert.equal(data<any[]>(await events('?maxResults=1')).length, 1);
    assert.equal(data<any[]>(await events('?maxResults=50')).length, 14 + 4, "14 this spring, then Founders' day 2027–2030 (the search reaches five years ahead)");
    assert.deepEqual(
      data<any[]>(await events('?timeMin=2026-03-18T00:00:00Z&maxResults=3')).map((e) => [e.id, e.start]),
      [
        ['9f8e7d6c5b4a3z2y1x0w9v8u7t@google.com_20260320', '2026-03-20'],
        ['0p9o8i7u6y5t4r3e2w1q0a9s8d@google.com_20260325T083000Z', '2026-03-25T08:30:00.000Z'],
        ['7kq2m5tq0b4h8c9d3e1f6g2h1i@google.com_20260324T140000Z', '2026-03-26T18:00:00.000Z'],
      ],
    );
    // An offset in timeMin is honoured (this is 2026-04-14T14:00Z minus one minute).
    assert.deepEqual(data<any[]>(await events('?timeMin=2026-04-14T09:59:00-04:00&maxResults=1')).map((e) => e.start), ['2026-04-14T14:00:00.000Z']);
    // The injected clock is "now" when timeMin is absent.
    time.set('2026-04-06T07:40:00.000Z');
    try {
      assert.deepEqual(data<any[]>(await events('?maxResults=2')).map((e) => [e.start, e.title]), [
        ['2026-04-06T07:30:00.000Z', 'Berlin launch standup'],
        ['2026-04-07T14:00:00.000Z', 'Weekly product sync'],
      ]);
    } finally {
      time.set('2026-03-02T12:00:00.000Z');
    }
  });

  test('bad query parameters are 400 with details', async () => {
    for (const [q, field] of [
      ['?maxResults=0', 'maxResults'],
      ['?maxResults=51', 'maxResults'],
      ['?maxResults=2.5', 'maxResults'],
      ['?maxResults=ten', 'maxResults'],
      ['?timeMin=yesterday', 'timeMin'],
      ['?timeMin=2026-03-02', 'timeMin'],
      ['?calendarId=primary', 'calendarId'],
    ]) {
      const e = error(await events(q), 400, 'validation_error');
      assert.ok(e.details && field in e.details, `${q}: ${JSON.stringify(e.details)}`);
    }
  });

  test('floating and all-day times follow the user time zone when the feed names none', async () => {
    const u = await t.user('starter');
    await t.container.db.updateTable('users').set({ timezone: 'Asia/Tokyo' }).where('id', '=', u.userId).execute();
    data(await setSource({ type: 'ics', url: `${feeds.url}/feeds/outlook.ics` }, u.key));
    const list = data<any[]>(await events('?timeMin=2026-03-02T00:00:00Z&maxResults=6', u.key));
    assert.deepEqual(list.map((e) => [e.start, e.timeZone, e.title]), [
      ['2026-03-02T09:00:00.000Z', 'Asia/Tokyo', 'Gym'],
      ['2026-03-03T09:00:00.000Z', 'Asia/Tokyo', 'Gym'],
      ['2026-03-04T09:00:00.000Z', 'Asia/Tokyo', 'Gym'],
      ['2026-03-10T09:00:00.000Z', 'Europe/Berlin', 'Board prep'],
      ['2026-03-11T14:00:00.000Z', 'Europe/Berlin', 'Design crit'],
      ['2026-03-20', 'Asia/Tokyo', 'Vernal Equinox Day'],
    ]);
  });

  test('the feed is fetched once per minute per user, and again after the source changes', async () => {
    const u = await t.user('starter');
    data(await setSource({ type: 'ics', url: `${feeds.url}/feeds/outlook.ics?u=cache` }, u.key));
    const before = feeds.hits.get('/feeds/outlook.ics') ?? 0;
    data(await events('', u.key));
    data(await events('?maxResults=3', u.key));
    assert.equal(feeds.hits.get('/feeds/outlook.ics'), before + 1);
    time.advance(61_000);
    try {
      data(await events('', u.key));
      assert.equal(feeds.hits.get('/feeds/outlook.ics'), before + 2);
      data(await setSource({ type: 'ics', url: `${feeds.url}/feeds/outlook.ics?u=cache2` }, u.key));
      data(await events('', u.key));
      assert.equal(feeds.hits.get('/feeds/outlook.ics'), before + 3);
    } finally {
      time.set('2026-03-02T12:00:00.000Z');
    }
  });

  test('redirects are followed; a feed that is gone is 400; a failing or non-calendar feed is 502', async () => {
    const u = await t.user('starter');
    data(await setSource({ type: 'ics', url: `${feeds.url}/moved` }, u.key));
    assert.equal(data<any[]>(await events('?maxResults=1', u.key))[0].title, 'Customer call — Acme renewal');

    data(await setSource({ type: 'ics', url: `${feeds.url}/gone` }, u.key));
    assert.match(error(await events('', u.key), 400, 'validation_error').message, /HTTP 404.*PUT \/api\/v1\/calendar\/source/);

    data(await setSource({ type: 'ics', url: `${feeds.url}/broken` }, u.key));
    const broken = error(await events('', u.key), 502, 'upstream_error');
    assert.match(broken.message, /HTTP 503/);
    assert.ok(!broken.message.includes('/broken'), 'messages name the host, never the secret path');

    data(await setSource({ type: 'ics', url: `${feeds.url}/login` }, u.key));
    assert.match(error(await events('', u.key), 502, 'upstream_error').message, /not an iCalendar document/);

    data(await setSource({ type: 'ics', url: `${feeds.url}/huge` }, u.key));
    assert.match(error(await events('', u.key), 502, 'upstream_error').message, /larger than 5 MB/);

    data(await setSource({ type: 'ics', url: 'http://127.0.0.1:9/closed.ics' }, u.key));
    error(await events('', u.key), 502, 'upstream_error');
  });

  test('at most 3 redirects are followed: a longer chain or a redirect loop is 502 upstream_error', async () => {
    const u = await t.user('starter');
    data(await setSource({ type: 'ics', url: `${feeds.url}/hop/3` }, u.key));
    assert.equal(data<any[]>(await events('?maxResults=1', u.key))[0].title, 'Customer call — Acme renewal', 'three redirects are fine');

    const v = await t.user('starter');
    data(await setSource({ type: 'ics', url: `${feeds.url}/hop/4` }, v.key));
    const hits = (path: string) => feeds.hits.get(path) ?? 0;
    const feedHits = hits('/feeds/work.ics');
    const tooLong = error(await events('', v.key), 502, 'upstream_error');
    assert.match(tooLong.message, /redirected more than 3 times/);
    assert.ok(!tooLong.message.includes('/hop'), 'messages name the host, never the path');
    assert.equal(hits('/feeds/work.ics'), feedHits, 'the fourth redirect was not followed');

    const w = await t.user('starter');
    data(await setSource({ type: 'ics', url: `${feeds.url}/loop` }, w.key));
    const loopHits = hits('/loop');
    assert.match(error(await events('', w.key), 502, 'upstream_error').message, /redirected more than 3 times/);
    assert.equal(hits('/loop') - loopHits, 4, 'the first request and three redirects, then it stops');
  });

  test('webcal:// links are stored as https://; bad bodies are 400', async () => {
    const u = await t.user('starter');
    assert.equal(data(await setSource({ type: 'ics', url: 'webcal://127.0.0.1:9/basic.ics' }, u.key)).url, 'https://127.0.0.1:9/basic.ics');
    for (const [body, field] of [
      [{ type: 'ics' }, 'url'],
      [{ type: 'ics', url: '' }, 'url'],
      [{ type: 'ics', url: 'not a url' }, 'url'],
      [{ type: 'ics', url: 'ftp://127.0.0.1/x.ics' }, 'url'],
      [{ type: 'ics', url: `${feeds.url}/x.ics`, extra: 1 }, 'extra'],
      [{ type: 'outlook', url: `${feeds.url}/x.ics` }, 'type'],
      [{ type: 'google', clientId: 'id', clientSecret: 'secret' }, 'refreshToken'],
    ] as const) {
      const e = error(await setSource(body, u.key), 400, 'validation_error');
      assert.ok(e.details && field in e.details, `${JSON.stringify(body)}: ${JSON.stringify(e.details)}`);
    }
  });

  test('DELETE forgets the source; calendar is per user', async () => {
    const a = await t.user('starter');
    const b = await t.user('starter');
    data(await setSource({ type: 'ics', url: `${feeds.url}/feeds/work.ics` }, a.key));
    error(await events('', b.key), 400, 'validation_error');
    assert.deepEqual(data(await t.request('DELETE', '/api/v1/calendar/source', { key: a.key })), { deleted: true });
    error(await events('', a.key), 400, 'validation_error');
    error(await t.request('GET', '/api/v1/calendar/source', { key: a.key }), 404, 'not_found');
    assert.deepEqual(data(await t.request('DELETE', '/api/v1/calendar/source', { key: a.key })), { deleted: true });
  });

  test('calendar endpoints need a key and a paid tier', async () => {
    error(await t.request('GET', '/api/v1/calendar/events'), 401, 'unauthorized');
    error(await t.request('PUT', '/api/v1/calendar/source', { body: { type: 'ics', url: `${feeds.url}/feeds/work.ics` } }), 401, 'unauthorized');
    const free = await t.user('free');
    error(await events('', free.key), 403, 'forbidden');
  });
});
