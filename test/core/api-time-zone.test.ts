// Time zones over the real HTTP stack: a conversation's own IANA `timeZone` (create and import,
// validated, returned), the profile `timezone` as the default, and the analysis reading relative
// dates in the effective zone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { assertData, assertValidation, countRows, fixture, uploadForm } from './support.js';

// 23:00 UTC on Thursday May 7 is 09:00 on Friday May 8 in Sydney.
const START = '2026-05-07T23:00:00Z';
const meeting = (extra: Record<string, unknown> = {}) => ({
  title: 'Invite planning',
  startTime: START,
  segments: [
    { speaker: 'Kenji', text: 'Thanks for making the time, Maria.' },
    { speaker: 'Maria', text: 'Happy to. I will send you the supplier invoices tomorrow.' },
    { speaker: 'Kenji', text: 'Great, and the beta starts next week.' },
  ],
  ...extra,
});

describe(`time zones (${dbLabel})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  test('create: timeZone is stored and returned; null when not given', async () => {
    const u = await t.user();
    const withZone = assertData(await t.request('POST', '/api/v1/conversations', { key: u.key, body: meeting({ timeZone: 'Australia/Sydney' }) }));
    assert.equal(withZone.timeZone, 'Australia/Sydney');
    const got = assertData(await t.request('GET', `/api/v1/conversations/${withZone.id}`, { key: u.key }));
    assert.equal(got.timeZone, 'Australia/Sydney');
    const listed = await t.request('GET', '/api/v1/conversations', { key: u.key });
    assert.equal(listed.body.data[0].timeZone, 'Australia/Sydney');
    const without = assertData(await t.request('POST', '/api/v1/conversations', { key: u.key, body: meeting() }));
    assert.equal(without.timeZone, null);
  });

  test('a bad zone is a 400 validation_error naming timeZone, and writes nothing', async () => {
    const u = await t.user();
    const before = await countRows(t.container.db);
    for (const zone of ['Mars/Olympus_Mons', '+05:00', '', 'Europe/Berlin; drop table users', 42]) {
      assertValidation(await t.request('POST', '/api/v1/conversations', { key: u.key, body: meeting({ timeZone: zone }) }), 'timeZone', JSON.stringify(zone));
    }
    const bad = uploadForm('call.vtt', fixture('zoom-roadmap.vtt'), { timeZone: 'Nowhere/Land' }, 'text/vtt');
    assertValidation(await t.request('POST', '/api/v1/conversations/import', { key: u.key, raw: bad }), 'timeZone');
    assert.deepEqual(await countRows(t.container.db), before);
  });

  test('import: the timeZone form field is stored, also for an asynchronous import', async () => {
    const u = await t.user();
    const form = uploadForm('call.vtt', fixture('zoom-roadmap.vtt'), { timeZone: 'America/Chicago', startTime: '2026-03-10T14:30:00Z' }, 'text/vtt');
    const sync = assertData(await t.request('POST', '/api/v1/conversations/import', { key: u.key, raw: form }), 201);
    assert.equal(sync.timeZone, 'America/Chicago');
    const later = uploadForm('call.vtt', fixture('zoom-roadmap.vtt'), { timeZone: 'Asia/Kolkata' }, 'text/vtt');
    const placeholder = assertData(await t.request('POST', '/api/v1/conversations/import?async=true', { key: u.key, raw: later }), 202);
    assert.equal(placeholder.timeZone, 'Asia/Kolkata');
    assert.equal(assertData(await t.request('GET', `/api/v1/conversations/${placeholder.id}`, { key: u.key })).timeZone, 'Asia/Kolkata');
  });

  test('profile: timezone defaults to UTC, PATCH sets it, a bad zone is refused and changes nothing', async () => {
    const u = await t.user();
    const profile = async () => assertData(await t.request('GET', '/api/v1/user/profile', { key: u.key })).profile.timezone;
    assert.equal(await profile(), 'UTC');
    const patched = assertData(await t.request('PATCH', '/api/v1/user/profile', { key: u.key, body: { timezone: 'Europe/Berlin' } }));
    assert.equal(patched.profile.timezone, 'Europe/Berlin');
    assert.equal(await profile(), 'Europe/Berlin');
    assertValidation(await t.request('PATCH', '/api/v1/user/profile', { key: u.key, body: { timezone: 'Berlin' } }), 'timezone');
    assertValidation(await t.request('PATCH', '/api/v1/user/profile', { key: u.key, body: { timezone: 'Europe/Berlin', email: 'x@example.com' } }), /.*/);
    assert.equal(await profile(), 'Europe/Berlin');
  });

  async function dueDates(key: string, body: Record<string, unknown>): Promise<string[]> {
    const id = assertData(await t.request('POST', '/api/v1/conversations', { key, body })).id;
    const kp = assertData(await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key, body: {} }));
    return kp.keypoints.importantDates.map((d: { date: string }) => d.date);
  }

  test("analysis reads relative dates in the conversation's zone, else the profile's, else UTC", async () => {
    const u = await t.user();
    // UTC: the start is Thursday May 7, so "tomorrow" is Friday May 8.
    assert.deepEqual(await dueDates(u.key, meeting()), ['2026-05-08']);
    // The conversation's own zone: Friday May 8 in Sydney, so "tomorrow" is Saturday May 9.
    assert.deepEqual(await dueDates(u.key, meeting({ timeZone: 'Australia/Sydney' })), ['2026-05-09']);
    // No zone of its own: the owner's profile zone applies.
    assertData(await t.request('PATCH', '/api/v1/user/profile', { key: u.key, body: { timezone: 'Australia/Sydney' } }));
    assert.deepEqual(await dueDates(u.key, meeting()), ['2026-05-09']);
    // The conversation's zone wins over the profile's.
    assert.deepEqual(await dueDates(u.key, meeting({ timeZone: 'UTC' })), ['2026-05-08']);
  });
});
