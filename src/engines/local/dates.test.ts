import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractImportantDates, resolveDates } from './dates.js';
import { assertEvidence } from './testing/assertions.js';
import { planningMeeting } from './testing/planning-meeting.js';
import { prepareTranscript } from './transcript.js';

const wednesday = new Date('2026-03-18T14:00:00Z');

test('relative dates resolve against the conversation start, forward', () => {
  assert.deepEqual(resolveDates('send it by Friday', wednesday).map((d) => d.date), ['2026-03-20']);
  assert.deepEqual(resolveDates('before Monday please', wednesday).map((d) => d.date), ['2026-03-23']);
  assert.deepEqual(resolveDates('tomorrow works', wednesday).map((d) => d.date), ['2026-03-19']);
  assert.deepEqual(resolveDates('the launch is on April 15', wednesday).map((d) => d.date), ['2026-04-15']);
  // A date already past in the year means the next one.
  assert.deepEqual(resolveDates('the review on March 3rd', wednesday).map((d) => d.date), ['2027-03-03']);
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
