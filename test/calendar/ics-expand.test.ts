// iCalendar parsing and recurrence expansion on realistic feeds, checked instant by instant.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { upcomingEvents } from '../../src/integrations/calendar/ics-expand.js';
import { parseFeed } from '../../src/integrations/calendar/ics-parse.js';
import { findMeetingLink } from '../../src/integrations/calendar/meeting-link.js';
import { Zones } from '../../src/integrations/calendar/zones.js';
import { fixture } from './support.js';

const SYNC = '7kq2m5tq0b4h8c9d3e1f6g2h1i@google.com';
const STANDUP = '0p9o8i7u6y5t4r3e2w1q0a9s8d@google.com';
const MEET = 'https://meet.google.com/abc-defg-hij';
const TEAMS = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjU4ZTk2%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%7d&lang=en';

async function list(name: string, timeMin: string, maxResults = 50, zone = 'UTC') {
  return upcomingEvents(await parseFeed(fixture(name), zone), { timeMin: new Date(timeMin), maxResults });
}

const brief = (events: Awaited<ReturnType<typeof list>>) => events.map((e) => [e.start, e.end, e.timeZone, e.title]);

describe('Google-export feed (VTIMEZONE New York + Berlin)', () => {
  test('expands, excludes and moves instances, at the exact instants, across both DST changes', async () => {
    const events = await list('google-work.ics', '2026-03-02T12:00:00Z', 15);
    assert.deepEqual(brief(events), [
      // In progress at timeMin: still upcoming. Given in UTC, shown in the calendar's zone.
      ['2026-03-02T11:30:00.000Z', '2026-03-02T12:30:00.000Z', 'America/New_York', 'Customer call — Acme renewal'],
      // 10:00 New York is 15:00Z before the US change (8 March) and 14:00Z after it.
      ['2026-03-03T15:00:00.000Z', '2026-03-03T15:30:00.000Z', 'America/New_York', 'Weekly product sync'],
      ['2026-03-05T15:00:00.000Z', '2026-03-05T16:00:00.000Z', 'Europe/Berlin', 'Berlin design review'],
      ['2026-03-10T14:00:00.000Z', '2026-03-10T14:30:00.000Z', 'America/New_York', 'Weekly product sync'],
      ['2026-03-12', '2026-03-14', 'America/New_York', 'Company offsite'],
      // 17 March is an EXDATE. A yearly all-day event that began in 2019.
      ['2026-03-20', '2026-03-21', 'America/New_York', "Founders' day"],
      // 09:30 Berlin is 08:30Z before the EU change (29 March) and 07:30Z after it.
      ['2026-03-25T08:30:00.000Z', '2026-03-25T08:45:00.000Z', 'Europe/Berlin', 'Berlin launch standup'],
      // The 24 March instance, moved to Thursday 14:00 with its own title, location and length.
      ['2026-03-26T18:00:00.000Z', '2026-03-26T18:45:00.000Z', 'America/New_York', 'Weekly product sync (moved)'],
      ['2026-03-30T07:30:00.000Z', '2026-03-30T07:45:00.000Z', 'Europe/Berlin', 'Berlin launch standup'],
      ['2026-03-31T14:00:00.000Z', '2026-03-31T14:30:00.000Z', 'America/New_York', 'Weekly product sync'],
      ['2026-04-01T07:30:00.000Z', '2026-04-01T07:45:00.000Z', 'Europe/Berlin', 'Berlin launch standup'],
      // COUNT=4 ends the standups here.
      ['2026-04-06T07:30:00.000Z', '2026-04-06T07:45:00.000Z', 'Europe/Berlin', 'Berlin launch standup'],
      ['2026-04-07T14:00:00.000Z', '2026-04-07T14:30:00.000Z', 'America/New_York', 'Weekly product sync'],
      // UNTIL=20260421T035959Z: 14 April is the last weekly sync.
      ['2026-04-14T14:00:00.000Z', '2026-04-14T14:30:00.000Z', 'America/New_York', 'Weekly product sync'],
      ['2027-03-20', '2027-03-21', 'America/New_York', "Founders' day"],
    ]);
    assert.ok(!events.some((e) => /kickoff|Vendor demo/i.test(e.title)), 'past and cancelled events are left out');
  });

  test('instance ids carry the original start, the moved one included', async () => {
    const events = await list('google-work.ics', '2026-03-02T12:00:00Z', 15);
    const ids = events.map((e) => e.id);
    assert.ok(ids.includes(`${SYNC}_20260303T150000Z`));
    assert.ok(ids.includes(`${SYNC}_20260310T140000Z`));
    assert.ok(!ids.includes(`${SYNC}_20260317T140000Z`), 'EXDATE');
    assert.ok(ids.includes(`${SYNC}_20260324T140000Z`), 'override keeps the id of the instance it replaces');
    assert.equal(events.find((e) => e.id === `${SYNC}_20260324T140000Z`)!.title, 'Weekly product sync (moved)');
    assert.ok(ids.includes('9f8e7d6c5b4a3z2y1x0w9v8u7t@google.com_20260320'));
    assert.ok(ids.includes('2b1a0z9y8x7w6v5u4t3s2r1q0p@google.com'), 'single events keep their UID');
    assert.equal(new Set(ids).size, ids.length);
  });

  test('attendees, location, meeting links and descriptions', async () => {
    const events = await list('google-work.ics', '2026-03-02T12:00:00Z', 15);
    const byId = new Map(events.map((e) => [e.id, e]));
    const sync = byId.get(`${SYNC}_20260303T150000Z`)!;
    assert.deepEqual(sync.attendees, [
      { name: 'Alice Chen', email: 'alice@example.com' },
      { name: 'Bob Martínez', email: 'bob.martinez@example.com' },
      // CN that only repeats the address is no name.
      { name: null, email: 'sarah@example.org' },
    ]);
    assert.equal(sync.meetingLink, MEET);
    assert.equal(sync.location, null);
    assert.equal(sync.allDay, false);
    assert.match(sync.description!, /^Agenda: roadmap, hiring, open questions\.\n/);

    const moved = byId.get(`${SYNC}_20260324T140000Z`)!;
    assert.equal(moved.location, 'Room 4B, 200 Park Ave, New York');
    assert.deepEqual(moved.attendees.map((a) => a.email), ['alice@example.com', 'bob.martinez@example.com']);
    assert.equal(moved.description, 'Moved to Thursday this week (offsite on Tuesday).');

    const review = events.find((e) => e.title === 'Berlin design review')!;
    assert.equal(review.meetingLink, 'https://us02web.zoom.us/j/81234567890?pwd=eFgHiJkLmN0pQrStUv', 'Zoom link from LOCATION');
    assert.equal(events.find((e) => e.id === `${STANDUP}_20260325T083000Z`)!.meetingLink, TEAMS, 'Teams link from an HTML description');

    const offsite = events.find((e) => e.title === 'Company offsite')!;
    assert.deepEqual({ ...offsite }, {
      id: '2b1a0z9y8x7w6v5u4t3s2r1q0p@google.com',
      title: 'Company offsite',
      start: '2026-03-12',
      end: '2026-03-14',
      timeZone: 'America/New_York',
      allDay: true,
      attendees: [],
      location: 'Lake Placid Lodge',
      meetingLink: null,
    });
  });

  test('maxResults and timeMin', async () => {
    assert.equal((await list('google-work.ics', '2026-03-02T12:00:00Z', 1))[0].title, 'Customer call — Acme renewal');
    assert.equal((await list('google-work.ics', '2026-03-02T12:00:00Z', 10)).length, 10);
    // From 18 March: the EXDATE'd and the moved instance are skipped, the override shows up.
    assert.deepEqual(brief(await list('google-work.ics', '2026-03-18T00:00:00Z', 3)), [
      ['2026-03-20', '2026-03-21', 'America/New_York', "Founders' day"],
      ['2026-03-25T08:30:00.000Z', '2026-03-25T08:45:00.000Z', 'Europe/Berlin', 'Berlin launch standup'],
      ['2026-03-26T18:00:00.000Z', '2026-03-26T18:45:00.000Z', 'America/New_York', 'Weekly product sync (moved)'],
    ]);
    // An all-day event runs until midnight at its end, in the calendar's zone (04:00Z in EDT).
    assert.equal((await list('google-work.ics', '2026-03-14T03:59:00Z', 1))[0].title, 'Company offsite');
    assert.notEqual((await list('google-work.ics', '2026-03-14T04:00:00Z', 1))[0].title, 'Company offsite');
    // Years later only the yearly event is left, expanded without walking from 2019 one by one.
    assert.deepEqual(brief(await list('google-work.ics', '2031-01-01T00:00:00Z', 2)), [
      ['2031-03-20', '2031-03-21', 'America/New_York', "Founders' day"],
      ['2032-03-20', '2032-03-21', 'America/New_York', "Founders' day"],
    ]);
  });
});

describe('Exchange-style feed (Windows zone names, floating times, no X-WR-TIMEZONE)', () => {
  test('floating times are read in the user zone; Windows TZIDs, DURATION and a DST gap', async () => {
    const events = await list('outlook-floating.ics', '2026-03-02T00:00:00Z', 50, 'Asia/Tokyo');
    assert.deepEqual(brief(events), [
      // 18:00 floating = 18:00 Tokyo; the floating UNTIL includes the 4 March instance.
      ['2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z', 'Asia/Tokyo', 'Gym'],
      ['2026-03-03T09:00:00.000Z', '2026-03-03T10:00:00.000Z', 'Asia/Tokyo', 'Gym'],
      ['2026-03-04T09:00:00.000Z', '2026-03-04T10:00:00.000Z', 'Asia/Tokyo', 'Gym'],
      ['2026-03-10T09:00:00.000Z', '2026-03-10T10:00:00.000Z', 'Europe/Berlin', 'Board prep'],
      ['2026-03-11T14:00:00.000Z', '2026-03-11T14:45:00.000Z', 'Europe/Berlin', 'Design crit'],
      // All-day without DTEND: one day, in the user's zone.
      ['2026-03-20', '2026-03-21', 'Asia/Tokyo', 'Vernal Equinox Day'],
      ['2026-03-27T01:30:00.000Z', '2026-03-27T02:00:00.000Z', 'Europe/Berlin', 'Backup window'],
      ['2026-03-28T01:30:00.000Z', '2026-03-28T02:00:00.000Z', 'Europe/Berlin', 'Backup window'],
      // 02:30 does not exist in Berlin on 29 March: RFC 5545 reads it as 03:30 CEST.
      ['2026-03-29T01:30:00.000Z', '2026-03-29T02:00:00.000Z', 'Europe/Berlin', 'Backup window'],
      ['2026-03-30T00:30:00.000Z', '2026-03-30T01:00:00.000Z', 'Europe/Berlin', 'Backup window'],
    ]);
    const board = events.find((e) => e.title === 'Board prep')!;
    assert.deepEqual(board.attendees, [
      { name: 'Kenji Sato', email: 'kenji@example.jp' },
      { name: 'Müller, Anna', email: 'anna.mueller@example.de' },
    ], 'rooms are not attendees');
    assert.equal(board.meetingLink, 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZmE4ZDc2%40thread.v2/0?context=%7b%22Tid%22%3a%22a1%22%7d');
    assert.equal(events.find((e) => e.title === 'Design crit')!.meetingLink, 'https://example.zoom.us/j/95551234567');
  });

  test('with another user zone the floating times move with it', async () => {
    const events = await list('outlook-floating.ics', '2026-03-02T00:00:00Z', 2, 'America/New_York');
    assert.deepEqual(brief(events), [
      ['2026-03-02T23:00:00.000Z', '2026-03-03T00:00:00.000Z', 'America/New_York', 'Gym'],
      ['2026-03-03T23:00:00.000Z', '2026-03-04T00:00:00.000Z', 'America/New_York', 'Gym'],
    ]);
  });
});

describe('independent of the server process time zone', () => {
  const original = process.env.TZ;
  after(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  test('same results under UTC, Tokyo and Los Angeles', async () => {
    const runs: string[] = [];
    for (const tz of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Pacific/Auckland']) {
      process.env.TZ = tz;
      const a = await list('google-work.ics', '2026-03-02T12:00:00Z', 50);
      const b = await list('outlook-floating.ics', '2026-03-02T00:00:00Z', 50, 'Asia/Tokyo');
      runs.push(JSON.stringify([a, b]));
    }
    for (const r of runs.slice(1)) assert.equal(r, runs[0]);
  });
});

describe('edge cases', () => {
  const wrap = (body: string, head = '') => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${head}${body}END:VCALENDAR\r\n`;

  test('an event with no UID gets a stable id; no DTEND means zero length', async () => {
    const text = wrap('BEGIN:VEVENT\r\nDTSTART:20260310T090000Z\r\nSUMMARY:Ping\r\nEND:VEVENT\r\n');
    const a = upcomingEvents(await parseFeed(text, 'UTC'), { timeMin: new Date('2026-03-01T00:00:00Z'), maxResults: 5 });
    const b = upcomingEvents(await parseFeed(text, 'UTC'), { timeMin: new Date('2026-03-01T00:00:00Z'), maxResults: 5 });
    assert.equal(a.length, 1);
    assert.equal(a[0].id, b[0].id);
    assert.equal(a[0].start, a[0].end);
    assert.equal(a[0].timeZone, 'UTC');
  });

  test('a daily series started decades ago is expanded near timeMin, with EXDATE in UTC form', async () => {
    const text = wrap(
      'BEGIN:VEVENT\r\nUID:daily@x\r\nDTSTART;TZID=Europe/Berlin:19900101T080000\r\nDTEND;TZID=Europe/Berlin:19900101T081500\r\n' +
        'RRULE:FREQ=DAILY\r\nEXDATE:20260311T070000Z\r\nSUMMARY:Daily\r\nEND:VEVENT\r\n',
    );
    const started = Date.now();
    const events = upcomingEvents(await parseFeed(text, 'UTC'), { timeMin: new Date('2026-03-10T00:00:00Z'), maxResults: 3 });
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(events.map((e) => e.start), ['2026-03-10T07:00:00.000Z', '2026-03-12T07:00:00.000Z', '2026-03-13T07:00:00.000Z']);
  });

  test('a cancelled instance (RECURRENCE-ID with STATUS:CANCELLED) is dropped', async () => {
    const text = wrap(
      'BEGIN:VEVENT\r\nUID:w@x\r\nDTSTART:20260302T150000Z\r\nDTEND:20260302T160000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:W\r\nEND:VEVENT\r\n' +
        'BEGIN:VEVENT\r\nUID:w@x\r\nRECURRENCE-ID:20260309T150000Z\r\nDTSTART:20260309T150000Z\r\nDTEND:20260309T160000Z\r\nSTATUS:CANCELLED\r\nSUMMARY:W\r\nEND:VEVENT\r\n',
    );
    const events = upcomingEvents(await parseFeed(text, 'UTC'), { timeMin: new Date('2026-03-01T00:00:00Z'), maxResults: 10 });
    assert.deepEqual(events.map((e) => e.start), ['2026-03-02T15:00:00.000Z', '2026-03-16T15:00:00.000Z']);
  });

  test('not a calendar', async () => {
    await assert.rejects(parseFeed('<html><body>Sign in</body></html>', 'UTC'), /not an iCalendar document/);
  });
});

describe('zone arithmetic and link detection', () => {
  test('ambiguous and skipped wall times follow RFC 5545', () => {
    const z = new Zones();
    // 01:30 on 1 November 2026 happens twice in New York: the first (EDT) one is meant.
    assert.equal(new Date(z.instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }, 'America/New_York')).toISOString(), '2026-11-01T05:30:00.000Z');
    // 02:30 on 8 March 2026 does not exist there: read with the offset before the gap.
    assert.equal(new Date(z.instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, 'America/New_York')).toISOString(), '2026-03-08T07:30:00.000Z');
  });

  test('Zoom, Meet, Teams, Webex links are found; other URLs are not meeting links', () => {
    assert.equal(findMeetingLink('Dial in via https://acme.zoom.us/j/123456789?pwd=abc.'), 'https://acme.zoom.us/j/123456789?pwd=abc');
    assert.equal(findMeetingLink('<a href="https://meet.google.com/xyz-abcd-efg?authuser=0&amp;hs=1">join</a>'), 'https://meet.google.com/xyz-abcd-efg?authuser=0&hs=1');
    assert.equal(findMeetingLink('https://teams.live.com/meet/9312345678901'), 'https://teams.live.com/meet/9312345678901');
    assert.equal(findMeetingLink('(https://acme.webex.com/meet/jdoe)'), 'https://acme.webex.com/meet/jdoe');
    assert.equal(findMeetingLink('Agenda: https://docs.example.com/doc/1 then https://meet.google.com/abc-defg-hij'), 'https://meet.google.com/abc-defg-hij');
    assert.equal(findMeetingLink('https://zoom.us/pricing and https://example.com'), null);
  });
});

describe('rules with one instance per period, counted directly', () => {
  const feed = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:r1', 'SUMMARY:r', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  const starts = async (text: string, timeMin: string, maxResults = 50) =>
    (await upcomingEvents(await parseFeed(text, 'UTC'), { timeMin: new Date(timeMin), maxResults })).map((e) => e.start);

  test('a daily series with COUNT keeps its wall time across a DST change and ends on its last instance', async () => {
    const text = feed('DTSTART;TZID=Europe/Berlin:20260320T093000', 'DTEND;TZID=Europe/Berlin:20260320T100000', 'RRULE:FREQ=DAILY;COUNT=12');
    assert.deepEqual(await starts(text, '2026-03-27T12:00:00Z'), [
      '2026-03-28T08:30:00.000Z',
      // 29 March: Berlin moves to summer time, 09:30 is 07:30Z from now on.
      '2026-03-29T07:30:00.000Z',
      '2026-03-30T07:30:00.000Z',
      '2026-03-31T07:30:00.000Z',
    ]);
  });

  test('hourly with INTERVAL and UNTIL, begun years ago', async () => {
    const text = feed('DTSTART:20200101T000000Z', 'RRULE:FREQ=HOURLY;INTERVAL=5;UNTIL=20260302T235959Z');
    // 2020-01-01 to 2026-03-02 is 2,252 days: 54,048 hours, a multiple of 5 plus 3, so that day's
    // instances are at 02:00, 07:00, 12:00, 17:00 and 22:00; one starting at timeMin is upcoming.
    assert.deepEqual(await starts(text, '2026-03-02T12:00:00Z'), ['2026-03-02T12:00:00.000Z', '2026-03-02T17:00:00.000Z', '2026-03-02T22:00:00.000Z']);
  });

  test('by the second from 1970 in a zone with DST: the seconds at timeMin, with EXDATE applied', async () => {
    const text = feed('DTSTART;TZID=Europe/Berlin:19700101T000000', 'EXDATE;TZID=Europe/Berlin:20260302T130001', 'RRULE:FREQ=SECONDLY;COUNT=2000000000');
    assert.deepEqual(await starts(text, '2026-03-02T12:00:00Z', 3), ['2026-03-02T12:00:00.000Z', '2026-03-02T12:00:02.000Z', '2026-03-02T12:00:03.000Z']);
  });
});
