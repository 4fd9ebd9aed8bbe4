import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueDateOf, extractImportantDates, resolveDates } from './dates.js';
import { assertEvidence } from './testing/assertions.js';
import { planningMeeting } from './testing/planning-meeting.js';
import { prepareTranscript } from './transcript.js';

const wednesday = new Date('2026-03-18T14:00:00Z');

test('relative dates resolve against the conversation start, forward', () => {
  assert.deepEqual(resolveDates('send it by Friday', wednesday).map((d) => d.date), ['2026-03-20']);
  assert.deepEqual(resolveDates('before Monday please', wednesday).map((d) => d.date), ['2026-03-23']);
  assert.deepEqual(resolveDates('tomorrow works', wednesday).map((d) => d.date), ['2026-03-19']);
  assert.deepEqual(resolveDates('the launch is on April 15', wednesday).map((d) => d.date), ['2026-04-15']);
  // A yearless date well past in the year means the next one; one just passed is this year's.
  assert.deepEqual(resolveDates('the review on January 3rd', wednesday).map((d) => d.date), ['2027-01-03']);
  assert.deepEqual(resolveDates('the review on March 3rd', wednesday).map((d) => [d.date, d.past]), [['2026-03-03', true]]);
});

test('trivial and imprecise expressions are ignored', () => {
  assert.deepEqual(resolveDates('we can do it now or today', wednesday), []);
  assert.deepEqual(resolveDates('sometime this month', wednesday), []);
});

test('without a start time only fully specified dates are kept', () => {
  assert.deepEqual(resolveDates('by Friday', null), []);
  assert.deepEqual(resolveDates('the contract ends on 2026-06-30', null).map((d) => d.date), ['2026-06-30']);
});

test('important dates carry a context phrase and evidence, farewells excluded', () => {
  const c = planningMeeting();
  const dates = extractImportantDates(prepareTranscript(c));
  const event = dates.find((d) => d.date === '2026-04-15');
  assert.ok(event);
  assert.match(event.context, /launch event is on April 15/);
  assert.ok(!dates.some((d) => /see you/i.test(d.context)), 'a farewell is not a date to remember');
  for (const d of dates) assertEvidence(c, d.evidence, d.context);
});

function meeting(lines: string[], startTime: string | null = '2026-11-21T15:39:00Z') {
  return prepareTranscript({
    id: 'd',
    title: null,
    kind: 'meeting',
    startTime,
    segments: lines.map((text, index) => ({ index, text, speaker: index % 2 ? 'B' : 'A', timestamp: null })),
  });
}

test('past-tense mentions are not upcoming dates; one entry per calendar date', () => {
  // 2026-11-21 is a Saturday.
  const dates = extractImportantDates(
    meeting([
      'Their sandbox was down Monday and Tuesday, so we could not run the tests.',
      'The staging environment is frozen until Friday, so regression cannot start before Monday.',
      'Can you confirm the regression plan with the vendor by Monday?',
    ]),
  );
  assert.deepEqual(dates.map((d) => d.date).sort(), ['2026-11-23', '2026-11-27']);
  assert.ok(!dates.some((d) => /was down/.test(d.context)), 'a past-tense mention is dropped');
  const monday = dates.find((d) => d.date === '2026-11-23');
  assert.ok(monday);
  assert.deepEqual(monday.evidence.map((e) => e.segmentIndex), [2, 1], 'evidence merged, most informative context first');
  const keys = dates.flatMap((d) => d.evidence.map((e) => `${d.date}|${e.segmentIndex}`));
  assert.equal(new Set(keys).size, keys.length, 'no date repeats the same evidence segment');
});

test('with only past mentions, they are kept and resolved backwards', () => {
  const dates = extractImportantDates(meeting(['Acme signed the contract on Friday.', 'That was a good week for the team overall.']));
  assert.deepEqual(dates.map((d) => d.date), ['2026-11-20']);
});

test('a past verb that reschedules still sets a future date', () => {
  const dates = extractImportantDates(meeting(['The launch was moved to Friday because of the migration work.']));
  assert.deepEqual(dates.map((d) => d.date), ['2026-11-27']);
});

test('week-level expressions and durations are not dates', () => {
  assert.deepEqual(resolveDates('the 5.12 release ships next week', wednesday), []);
  assert.deepEqual(resolveDates('we may need a day or two for the importer', wednesday), []);
  // "the weekend before" is two days behind us, not next Saturday.
  assert.deepEqual(resolveDates('I worked Saturday the weekend before, and the weekend is free.', wednesday).filter((d) => !d.past), []);
});
