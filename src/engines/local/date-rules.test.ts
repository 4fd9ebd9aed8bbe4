import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueDateOf, extractImportantDates, resolveDates } from './dates.js';
import { localWallTime } from './date-rules.js';
import { prepareTranscript } from './transcript.js';

// Starts given as instants; the rules must read them as days in the named zone.
const thursdayBerlin = new Date('2026-04-16T12:00:00Z'); // Thursday 14:00 in Berlin
const opts = { timeZone: 'Europe/Berlin' };
const dates = (text: string, ref: Date | null, o: Parameters<typeof resolveDates>[2] = opts) => resolveDates(text, ref, o).map((d) => d.date);

test('end of (the/next) week is that Friday, not a Saturday or the week after', () => {
  assert.deepEqual(dates('I can have it by the end of the week', thursdayBerlin), ['2026-04-17']);
  assert.deepEqual(dates('end of next week, realistically', thursdayBerlin), ['2026-04-24']);
  const saturday = new Date('2026-04-18T09:00:00Z');
  assert.deepEqual(dates('by end of week', saturday), ['2026-04-24'], 'at a weekend, the coming Friday');
  assert.deepEqual(dates('by the end of the month', thursdayBerlin), ['2026-04-30']);
});

test('EOD, today and right after this are the conversation day; EOD tomorrow is the next day', () => {
  const inc = { ...opts, includeToday: true };
  assert.deepEqual(dates('send it EOD tomorrow', thursdayBerlin, inc), ['2026-04-17']);
  assert.deepEqual(dates('I will do it today', thursdayBerlin, inc), ['2026-04-16']);
  assert.deepEqual(dates("I'll send the file right after this.", thursdayBerlin, inc), ['2026-04-16']);
  assert.deepEqual(dates('please get it to me by end of day', thursdayBerlin, inc), ['2026-04-16']);
  // Without includeToday the conversation's own day is not listed.
  assert.deepEqual(dates('I will do it today', thursdayBerlin), []);
  // "at the end of the day" is a figure of speech, and durations are not dates.
  assert.deepEqual(dates('at the end of the day it is your call', thursdayBerlin, inc), []);
  assert.deepEqual(dates('she may be a few minutes late, back in an hour', thursdayBerlin, inc), []);
});

test('a weekday is the next such day, strictly after the conversation day', () => {
  assert.deepEqual(dates('the release is Thursday', thursdayBerlin), ['2026-04-23']);
  assert.deepEqual(dates('can we meet Monday?', thursdayBerlin), ['2026-04-20']);
  assert.deepEqual(dates('next Monday works', thursdayBerlin), ['2026-04-20']);
});

test('a bare day of the month is the next such day, in digits or words', () => {
  assert.deepEqual(dates('please have it done by the 14th', thursdayBerlin), ['2026-05-14']);
  assert.deepEqual(dates('I will ask her to finish by the eleventh', thursdayBerlin), ['2026-05-11']);
  assert.deepEqual(dates('can you get me a draft by the twenty sixth?', thursdayBerlin), ['2026-04-26']);
  assert.deepEqual(dates('Okay, Thursday the fourteenth then', thursdayBerlin), ['2026-05-14']);
  assert.deepEqual(dates('Thursday the seventh of May?', thursdayBerlin), ['2026-05-07']);
  assert.deepEqual(dates('the budget goes to her on May the twentieth', thursdayBerlin), ['2026-05-20']);
  // Ordinals that count things are not days.
  assert.deepEqual(dates('the second option is better, and by the third round we knew', thursdayBerlin), []);
  assert.deepEqual(dates('before the first release we need tests', thursdayBerlin), []);
  assert.deepEqual(dates('they must be flashed by the eighteenth anyway', thursdayBerlin), ['2026-04-18']);
  assert.deepEqual(dates('first of all, thanks', thursdayBerlin), []);
});

test('past mentions are never moved into the future', () => {
  assert.deepEqual(resolveDates("is that from last Thursday's deploy?", thursdayBerlin, opts).map((d) => [d.date, d.past]), [['2026-04-09', true]]);
  assert.deepEqual(resolveDates('welcome to the postmortem for Tuesday\'s outage', thursdayBerlin, opts).map((d) => [d.date, d.past]), [['2026-04-14', true]]);
  assert.deepEqual(resolveDates('Saturday and Sunday last weekend', thursdayBerlin, opts).map((d) => d.date), ['2026-04-11', '2026-04-12']);
  // Said on August 4th: August 1st is three days ago, not next year.
  const aug4 = new Date('2026-08-04T13:05:00Z');
  assert.deepEqual(resolveDates("you've been without service since August 1st", aug4, { timeZone: 'America/Toronto' }).map((d) => [d.date, d.past]), [['2026-08-01', true]]);
});

test('named events and non-dates are not dates', () => {
  assert.deepEqual(dates('our Black Friday campaign needs the new banner', thursdayBerlin), []);
  assert.deepEqual(dates('the Cyber Monday numbers were fine', thursdayBerlin), []);
  assert.deepEqual(dates('you owe me a Sunday', thursdayBerlin), []);
  assert.deepEqual(dates('they meet Tuesday afternoons', thursdayBerlin), []);
  assert.deepEqual(dates('10/10 service, thanks', thursdayBerlin), []);
  assert.deepEqual(dates('3 contracts have deadlines in the next 90 days', thursdayBerlin), []);
});

test('the day is taken in the conversation zone, across daylight-saving changes', () => {
  // 23:00 UTC on May 7 is 09:00 on Friday May 8 in Sydney: "tomorrow" is Saturday the 9th.
  const sydney = new Date('2026-05-07T23:00:00Z');
  assert.deepEqual(dates('I will email it tomorrow', sydney, { timeZone: 'Australia/Sydney' }), ['2026-05-09']);
  assert.deepEqual(dates('I will email it tomorrow', sydney, {}), ['2026-05-08'], 'UTC without a zone');
  // 00:00 UTC Sep 16 is still Tuesday Sep 15 in Denver.
  const denver = new Date('2026-09-16T00:00:00Z');
  assert.deepEqual(dates("I'm filing the claim tomorrow", denver, { timeZone: 'America/Denver' }), ['2026-09-16']);
  // US clocks went forward at 02:00 on Sunday 2026-03-08: 01:30 local that night is 07:30 UTC,
  // 03:30 local is 07:30 + 1 h UTC; both are Sunday, so "Friday" is the 13th either way.
  assert.equal(localWallTime(new Date('2026-03-08T07:30:00Z'), 'America/Chicago').toISOString(), '2026-03-08T01:30:00.000Z');
  assert.equal(localWallTime(new Date('2026-03-08T08:30:00Z'), 'America/Chicago').toISOString(), '2026-03-08T03:30:00.000Z');
  assert.deepEqual(dates('by Friday', new Date('2026-03-08T08:30:00Z'), { timeZone: 'America/Chicago' }), ['2026-03-13']);
  // Late Saturday evening in Los Angeles is already Sunday in UTC: "tomorrow" differs by a day.
  const laSaturdayNight = new Date('2026-11-01T06:30:00Z'); // 23:30 PDT Saturday Oct 31; DST ends that night
  assert.deepEqual(dates('see it tomorrow', laSaturdayNight, { timeZone: 'America/Los_Angeles' }), ['2026-11-01']);
  assert.deepEqual(dates('see it tomorrow', laSaturdayNight, {}), ['2026-11-02']);
  // An unknown zone is read as UTC rather than failing the analysis.
  assert.deepEqual(dates('by Friday', thursdayBerlin, { timeZone: 'Not/AZone' }), ['2026-04-17']);
});

test('without a start time no relative date is invented; dates with a year still count', () => {
  assert.deepEqual(dates('end of next week, or EOD tomorrow, or the 14th', null), []);
  assert.deepEqual(dates('we go live on March 2, 2026', null), ['2026-03-02']);
  assert.deepEqual(dates('we go live on March 2', null), [], 'a yearless date could be either year');
});

function conversation(lines: string[], startTime: string | null, timeZone: string | null) {
  return prepareTranscript({
    id: 'c',
    title: null,
    kind: 'meeting',
    startTime,
    timeZone,
    segments: lines.map((text, index) => ({ index, text, speaker: index % 2 ? 'Bo' : 'Al', timestamp: null })),
  });
}

test('due dates: today counts, past mentions never do', () => {
  const t = conversation(
    ["Tom, I was charged on the 28th and it's still wrong.", "Yeah, I'll fix it today.", 'Can you have the report by end of next week?', "Is that from last Tuesday's deploy?"],
    '2026-03-10T14:30:00Z',
    'America/Chicago',
  );
  const due = t.sentences.map((s) => dueDateOf(t, s));
  assert.deepEqual(due, [null, '2026-03-10', '2026-03-20', null]);
  const listed = extractImportantDates(t).map((d) => d.date);
  assert.deepEqual(listed, ['2026-03-20'], 'the conversation day and past mentions are not upcoming dates');
});

test('the conversation zone moves "tomorrow" across the date line', () => {
  const lines = ['I will send the invite tomorrow.'];
  const utc = conversation(lines, '2026-05-07T23:00:00Z', null);
  const sydney = conversation(lines, '2026-05-07T23:00:00Z', 'Australia/Sydney');
  assert.equal(dueDateOf(utc, utc.sentences[0]), '2026-05-08');
  assert.equal(dueDateOf(sydney, sydney.sentences[0]), '2026-05-09');
});

test('due dates: a deadline after "by" beats an event date after "for"; a participle after an article is not a past verb', () => {
  const t = conversation(
    ["I'll send you a calendar invite for Wednesday the fourth at one today, and the recap by Friday.", 'Tasha sends the scrubbed schedule Friday.', 'Send it by Friday, for the Monday demo.', 'Book the room for Monday.'],
    '2026-01-21T16:00:00Z',
    'America/New_York',
  );
  const due = t.sentences.map((s) => dueDateOf(t, s));
  assert.deepEqual(due, ['2026-01-21', '2026-01-23', '2026-01-23', '2026-01-26']);
});

test('due dates: a date in a condition ("if I start today") is not the deadline when the sentence names another', () => {
  const t = conversation(
    ['If I start today on the hard coded ones, Wednesday I can give the full export.', 'Once legal signs off on Monday, I will ship it Thursday.', 'If you need it, I can do it today.'],
    '2026-02-02T04:30:00Z',
    'Asia/Kolkata',
  );
  const due = t.sentences.map((s) => dueDateOf(t, s));
  assert.deepEqual(due, ['2026-02-04', '2026-02-05', '2026-02-02']);
});
