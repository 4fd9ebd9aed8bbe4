// Google Calendar API v3 source, against a local fake of Google's token endpoint and events.list.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { manualClock, startLocalServer, type LocalServer } from './support.js';

function data<T = any>(res: TestResponse, status = 200): T {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  return res.body.data as T;
}

function error(res: TestResponse, status: number, code: string) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text.slice(0, 500)}`);
  assert.equal(res.body.error.code, code);
  return res.body.error as { message: string; details?: Record<string, string> };
}

const TEAM = 'team@group.calendar.google.com';

// Shaped like a real events.list answer (singleEvents=true, orderBy=startTime).
const EVENTS = {
  kind: 'calendar#events',
  etag: '"p32g9vt2"',
  summary: 'Team',
  updated: '2026-03-01T09:00:00.000Z',
  timeZone: 'America/New_York',
  accessRole: 'reader',
  defaultReminders: [],
  items: [
    {
      kind: 'calendar#event',
      id: '5n1q2r3s4t5u6v7w8x9y_20260303T150000Z',
      status: 'confirmed',
      htmlLink: 'https://www.google.com/calendar/event?eid=abc',
      summary: 'Weekly product sync',
      description: 'Agenda: roadmap, hiring.',
      creator: { email: 'alice@example.com', self: true },
      organizer: { email: 'alice@example.com', self: true },
      start: { dateTime: '2026-03-03T10:00:00-05:00', timeZone: 'America/New_York' },
      end: { dateTime: '2026-03-03T10:30:00-05:00', timeZone: 'America/New_York' },
      recurringEventId: '5n1q2r3s4t5u6v7w8x9y',
      originalStartTime: { dateTime: '2026-03-03T10:00:00-05:00', timeZone: 'America/New_York' },
      iCalUID: '5n1q2r3s4t5u6v7w8x9y@google.com',
      attendees: [
        { email: 'alice@example.com', displayName: 'Alice Chen', organizer: true, self: true, responseStatus: 'accepted' },
        { email: 'bob.martinez@example.com', responseStatus: 'needsAction' },
        { email: 'c_1881e3f0a9@resource.calendar.google.com', displayName: 'NYC-4-Room 4B (8)', resource: true, responseStatus: 'accepted' },
      ],
      hangoutLink: 'https://meet.google.com/abc-defg-hij',
      conferenceData: {
        entryPoints: [
          { entryPointType: 'video', uri: 'https://meet.google.com/abc-defg-hij', label: 'meet.google.com/abc-defg-hij' },
          { entryPointType: 'phone', uri: 'tel:+1-347-555-0100', pin: '123456789' },
        ],
        conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
        conferenceId: 'abc-defg-hij',
      },
      reminders: { useDefault: true },
      eventType: 'default',
    },
    {
      kind: 'calendar#event',
      id: '0a9b8c7d6e5f',
      status: 'confirmed',
      summary: 'Berlin design review',
      location: 'Zoom',
      start: { dateTime: '2026-03-05T16:00:00+01:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-03-05T17:00:00+01:00', timeZone: 'Europe/Berlin' },
      conferenceData: { entryPoints: [{ entryPointType: 'video', uri: 'https://us02web.zoom.us/j/81234567890?pwd=eFgH' }] },
    },
    { kind: 'calendar#event', id: 'cancelled01', status: 'cancelled' },
    {
      kind: 'calendar#event',
      id: '2b1a0z9y8x7w',
      status: 'confirmed',
      summary: 'Company offsite',
      location: 'Lake Placid Lodge',
      start: { date: '2026-03-12' },
      end: { date: '2026-03-14' },
      transparency: 'transparent',
    },
    {
      kind: 'calendar#event',
      id: 'busy0001',
      status: 'confirmed',
      start: { dateTime: '2026-03-16T13:00:00-04:00' },
      end: { dateTime: '2026-03-16T13:30:00-04:00' },
      description: 'Teams: https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0',
    },
  ],
};

interface EventsCall {
  path: string;
  query: URLSearchParams;
  auth: string | undefined;
}

describe(`Google Calendar source (${dbLabel})`, () => {
  let t: TestApp;
  let google: LocalServer;
  const tokenCalls: URLSearchParams[] = [];
  const eventCalls: EventsCall[] = [];
  let issued = 0;
  let validToken: string | null = null;
  let eventsStatus = 200;
  const time = manualClock('2026-03-02T12:00:00.000Z');

  const events = (key: string, query = '') => t.request('GET', `/api/v1/calendar/events${query}`, { key });
  const connect = (key: string, body: Record<string, unknown>) =>
    t.request('PUT', '/api/v1/calendar/source', { key, body: { type: 'google', clientId: 'client-123.apps.googleusercontent.com', clientSecret: 'GOCSPX-secret', ...body } });

  before(async () => {
    const eventsRoute = (path: string) => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      eventCalls.push({ path, query: url.searchParams, auth: req.headers.authorization });
      if (validToken && req.headers.authorization !== `Bearer ${validToken}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 401, message: 'Invalid Credentials' } }));
        return;
      }
      if (eventsStatus !== 200) {
        res.writeHead(eventsStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: eventsStatus, message: 'Backend Error' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(EVENTS));
    };
    google = await startLocalServer({
      '/token': (req, res, body) => {
        const form = new URLSearchParams(body);
        tokenCalls.push(form);
        const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (req.method !== 'POST' || !/application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) return json(400, { error: 'invalid_request' });
        switch (form.get('refresh_token')) {
          case 'rt-revoked':
            return json(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
          case 'rt-down':
            return json(503, { error: 'backend_error' });
          default:
            if (form.get('client_secret') !== 'GOCSPX-secret') return json(401, { error: 'invalid_client', error_description: 'Unauthorized' });
            validToken = `ya29.token-${++issued}`;
            return json(200, { access_token: validToken, expires_in: 3599, scope: 'https://www.googleapis.com/auth/calendar.readonly', token_type: 'Bearer' });
        }
      },
      [`/calendar/v3/calendars/${encodeURIComponent(TEAM)}/events`]: eventsRoute('team'),
      '/calendar/v3/calendars/primary/events': eventsRoute('primary'),
    });
    t = await startTestApp({
      env: { COLLOQUY_GOOGLE_OAUTH_TOKEN_URL: `${google.url}/token`, COLLOQUY_GOOGLE_CALENDAR_API_URL: `${google.url}/calendar/v3/` },
      overrides: { clock: time.clock },
    });
  });
  after(async () => {
    await t?.close();
    await google?.close();
  });

  test('the source never shows its secrets', async () => {
    const u = await t.user('professional');
    const saved = data(await connect(u.key, { refreshToken: '1//0g-refresh-SECRET', calendarId: TEAM }));
    const read = await t.request('GET', '/api/v1/calendar/source', { key: u.key });
    for (const res of [saved, data(read)]) {
      assert.deepEqual(Object.keys(res).sort(), ['calendarId', 'createdAt', 'type', 'updatedAt']);
      assert.equal(res.type, 'google');
      assert.equal(res.calendarId, TEAM);
    }
    assert.ok(!read.text.includes('SECRET') && !read.text.includes('GOCSPX') && !read.text.includes('client-123'));
  });

  test('refresh-token exchange, then events.list with the right query; results mapped and sorted', async () => {
    const u = await t.user('professional');
    data(await connect(u.key, { refreshToken: 'rt-good', calendarId: TEAM }));
    const tokensBefore = tokenCalls.length;
    const list = data<any[]>(await events(u.key));

    assert.equal(tokenCalls.length, tokensBefore + 1);
    const form = tokenCalls.at(-1)!;
    assert.deepEqual(Object.fromEntries(form), {
      grant_type: 'refresh_token',
      refresh_token: 'rt-good',
      client_id: 'client-123.apps.googleusercontent.com',
      client_secret: 'GOCSPX-secret',
    });
    const call = eventCalls.at(-1)!;
    assert.equal(call.path, 'team');
    assert.equal(call.auth, `Bearer ${validToken}`);
    assert.deepEqual(Object.fromEntries(call.query), { timeMin: '2026-03-02T12:00:00.000Z', maxResults: '10', singleEvents: 'true', orderBy: 'startTime' });

    assert.deepEqual(list, [
      {
        id: '5n1q2r3s4t5u6v7w8x9y_20260303T150000Z',
        title: 'Weekly product sync',
        start: '2026-03-03T15:00:00.000Z',
        end: '2026-03-03T15:30:00.000Z',
        timeZone: 'America/New_York',
        allDay: false,
        attendees: [
          { name: 'Alice Chen', email: 'alice@example.com' },
          { name: null, email: 'bob.martinez@example.com' },
        ],
        location: null,
        meetingLink: 'https://meet.google.com/abc-defg-hij',
        description: 'Agenda: roadmap, hiring.',
      },
      {
        id: '0a9b8c7d6e5f',
        title: 'Berlin design review',
        start: '2026-03-05T15:00:00.000Z',
        end: '2026-03-05T16:00:00.000Z',
        timeZone: 'Europe/Berlin',
        allDay: false,
        attendees: [],
        location: 'Zoom',
        meetingLink: 'https://us02web.zoom.us/j/81234567890?pwd=eFgH',
      },
      {
        id: '2b1a0z9y8x7w',
        title: 'Company offsite',
        start: '2026-03-12',
        end: '2026-03-14',
        timeZone: 'America/New_York',
        allDay: true,
        attendees: [],
        location: 'Lake Placid Lodge',
        meetingLink: null,
      },
      {
        id: 'busy0001',
        title: '(No title)',
        start: '2026-03-16T17:00:00.000Z',
        end: '2026-03-16T17:30:00.000Z',
        timeZone: 'America/New_York',
        allDay: false,
        attendees: [],
        location: null,
        meetingLink: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0',
        description: 'Teams: https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0',
      },
    ]);
  });

  test('the access token is reused until it expires; maxResults and timeMin are passed on', async () => {
    const u = await t.user('professional');
    data(await connect(u.key, { refreshToken: 'rt-good' }));
    data(await events(u.key));
    const tokensBefore = tokenCalls.length;
    const list = data<any[]>(await events(u.key, '?maxResults=2&timeMin=2026-03-04T00:00:00Z'));
    assert.equal(tokenCalls.length, tokensBefore, 'cached token');
    const call = eventCalls.at(-1)!;
    assert.equal(call.path, 'primary', 'calendarId defaults to primary');
    assert.equal(call.query.get('maxResults'), '2');
    assert.equal(call.query.get('timeMin'), '2026-03-04T00:00:00.000Z');
    // The fake ignores the window; the server still applies it.
    assert.deepEqual(list.map((e) => e.id), ['0a9b8c7d6e5f', '2b1a0z9y8x7w']);
    assert.equal(data(await t.request('GET', '/api/v1/calendar/source', { key: u.key })).calendarId, 'primary');

    time.advance(3600_000);
    try {
      data(await events(u.key));
      assert.equal(tokenCalls.length, tokensBefore + 1, 'expired token replaced');
    } finally {
      time.set('2026-03-02T12:00:00.000Z');
    }
  });

  test('an access token revoked early is replaced once', async () => {
    const u = await t.user('professional');
    data(await connect(u.key, { refreshToken: 'rt-good', calendarId: TEAM }));
    data(await events(u.key));
    const tokensBefore = tokenCalls.length;
    const callsBefore = eventCalls.length;
    validToken = 'revoked-by-google';
    assert.equal(data<any[]>(await events(u.key)).length, 4);
    assert.equal(tokenCalls.length, tokensBefore + 1);
    assert.equal(eventCalls.length, callsBefore + 2);
  });

  test('a revoked refresh token or a bad client is 400; Google failing is 502', async () => {
    const u = await t.user('professional');
    data(await connect(u.key, { refreshToken: 'rt-revoked', calendarId: TEAM }));
    const revoked = error(await events(u.key), 400, 'validation_error');
    assert.match(revoked.message, /invalid_grant/);
    assert.match(revoked.message, /PUT \/api\/v1\/calendar\/source/);
    assert.ok(revoked.details?.refreshToken);

    data(await t.request('PUT', '/api/v1/calendar/source', { key: u.key, body: { type: 'google', refreshToken: 'rt-good', clientId: 'client-123', clientSecret: 'wrong' } }));
    assert.ok(error(await events(u.key), 400, 'validation_error').details?.clientId);

    data(await connect(u.key, { refreshToken: 'rt-down' }));
    assert.match(error(await events(u.key), 502, 'upstream_error').message, /HTTP 503/);

    data(await connect(u.key, { refreshToken: 'rt-good', calendarId: 'missing@group.calendar.google.com' }));
    assert.ok(error(await events(u.key), 400, 'validation_error').details?.calendarId, 'unknown calendar');

    data(await connect(u.key, { refreshToken: 'rt-good', calendarId: TEAM }));
    eventsStatus = 500;
    try {
      assert.match(error(await events(u.key), 502, 'upstream_error').message, /HTTP 500/);
    } finally {
      eventsStatus = 200;
    }
  });

  test('google source bodies are validated', async () => {
    const u = await t.user('professional');
    for (const [body, field] of [
      [{ type: 'google', refreshToken: 'x', clientId: 'y' }, 'clientSecret'],
      [{ type: 'google', refreshToken: '', clientId: 'y', clientSecret: 'z' }, 'refreshToken'],
      [{ type: 'google', refreshToken: 'x', clientId: 'y', clientSecret: 'z', calendarId: '' }, 'calendarId'],
      [{ type: 'google', refreshToken: 'x', clientId: 'y', clientSecret: 'z', url: 'https://example.com' }, 'url'],
    ] as const) {
      const e = error(await t.request('PUT', '/api/v1/calendar/source', { key: u.key, body }), 400, 'validation_error');
      assert.ok(e.details && field in e.details, `${JSON.stringify(body)}: ${JSON.stringify(e.details)}`);
    }
  });
});
