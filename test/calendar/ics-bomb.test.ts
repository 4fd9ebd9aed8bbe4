// Hostile iCalendar feeds: recurrence rules that would walk millions of candidate times are
// expanded off the event loop within a time budget, so the server keeps answering meanwhile.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { manualClock, serveIcs, startLocalServer, type LocalServer } from './support.js';

const feedOf = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events.flatMap((e, i) => ['BEGIN:VEVENT', `UID:e${i}`, e, 'END:VEVENT']), 'END:VCALENDAR', ''].join('\r\n');
// A rule that never matches (there is no 30 February): rrule would search until the year 9999.
const NEVER = feedOf('DTSTART:19700101T000000Z\r\nRRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30');
// By the second from 1970, with a count that outlives the server.
const SECONDLY = feedOf('DTSTART:19700101T000000Z\r\nDTEND:19700101T000001Z\r\nSUMMARY:tick\r\nRRULE:FREQ=SECONDLY;COUNT=2000000000');
const DAILY = feedOf('DTSTART:20200101T090000Z\r\nDTEND:20200101T093000Z\r\nSUMMARY:Daily\r\nRRULE:FREQ=DAILY;COUNT=100000');
const BUDGET_MS = 3000;

describe(`recurrence bombs in ICS feeds (${dbLabel})`, () => {
  let t: TestApp;
  let feeds: LocalServer;
  const time = manualClock('2026-03-02T12:00:00.000Z');

  before(async () => {
    feeds = await startLocalServer({
      '/never.ics': serveIcs(NEVER),
      '/secondly.ics': serveIcs(SECONDLY),
      '/daily.ics': serveIcs(DAILY),
      '/crowded.ics': serveIcs(feedOf(...Array.from({ length: 20_001 }, () => 'DTSTART:20260310T090000Z'))),
    });
    t = await startTestApp({
      env: { COLLOQUY_CALENDAR_ALLOW_PRIVATE: 'true', COLLOQUY_CALENDAR_EXPAND_TIMEOUT_MS: String(BUDGET_MS) },
      overrides: { clock: time.clock },
    });
  });
  after(async () => {
    await t?.close();
    await feeds?.close();
  });

  async function connect(path: string) {
    const u = await t.user('starter');
    const res = await t.request('PUT', '/api/v1/calendar/source', { key: u.key, body: { type: 'ics', url: `${feeds.url}${path}` } });
    assert.equal(res.status, 200, res.text);
    return (query = '') => t.request('GET', `/api/v1/calendar/events${query}`, { key: u.key });
  }

  async function healthz(): Promise<number> {
    const started = performance.now();
    const res = await t.request('GET', '/healthz');
    assert.equal(res.status, 200);
    return performance.now() - started;
  }

  test('a rule that never matches is a 502 within its budget, and /healthz answers meanwhile', async () => {
    const events = await connect('/never.ics');
    // A warm thread first, so that the bomb below measures expansion only.
    assert.equal((await (await connect('/daily.ics'))('?maxResults=1')).status, 200);

    const started = performance.now();
    let bombDoneAt = 0;
    const bomb = events().then((res) => {
      bombDoneAt = performance.now();
      return res;
    });
    const during: number[] = [];
    let healthzDoneAt = 0;
    for (let i = 0; i < 5; i++) during.push(await healthz());
    healthzDoneAt = performance.now();
    const res = await bomb;
    const bombMs = bombDoneAt - started;

    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, 'upstream_error');
    assert.match(res.body.error.message, /could not be expanded within 3 s/);
    // The five health checks ran while the bomb was being expanded, each a small part of it.
    assert.ok(healthzDoneAt < bombDoneAt, `healthz finished ${Math.round(healthzDoneAt - started)} ms in, the bomb at ${Math.round(bombMs)} ms`);
    assert.ok(Math.max(...during) < bombMs / 3, `healthz took up to ${Math.round(Math.max(...during))} ms during a ${Math.round(bombMs)} ms bomb`);
    // The thread that was stopped is replaced: the next feed is served.
    const after = await (await connect('/daily.ics'))('?maxResults=1');
    assert.equal(after.status, 200, after.text);
  });

  test('by the second from 1970 with a huge COUNT: the instances around timeMin, not a walk from 1970', async () => {
    const res = await (await connect('/secondly.ics'))('?maxResults=3');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.data.map((e: { start: string }) => e.start),
      ['2026-03-02T12:00:00.000Z', '2026-03-02T12:00:01.000Z', '2026-03-02T12:00:02.000Z'],
    );
  });

  test('COUNT is honoured after the start is moved forward: a daily series ends on its last instance', async () => {
    const events = await connect('/daily.ics');
    // 100,000 days from 2020 run past 2026; a series of 2,500 days ends on 2026-11-04 (day 2,499).
    feeds.route('/daily.ics', serveIcs(DAILY.replace('COUNT=100000', 'COUNT=2500')));
    time.set('2026-11-03T12:00:00.000Z');
    try {
      const res = await events('?maxResults=5');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.data.map((e: { start: string }) => e.start), ['2026-11-04T09:00:00.000Z']);
    } finally {
      time.set('2026-03-02T12:00:00.000Z');
      feeds.route('/daily.ics', serveIcs(DAILY));
    }
  });

  test('a feed with more events than the cap is a clear 502', async () => {
    const res = await (await connect('/crowded.ics'))();
    assert.equal(res.status, 502, res.text);
    assert.match(res.body.error.message, /more than 20000 events/);
  });
});
