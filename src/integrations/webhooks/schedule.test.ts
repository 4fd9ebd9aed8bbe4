import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, parseSchedule, shouldDisable } from './schedule.js';

const NOW = Date.UTC(2026, 2, 19, 12, 0, 0);
const DAY = 24 * 60 * 60 * 1000;

test('the default schedule is the Standard Webhooks one', () => {
  assert.deepEqual([...DEFAULT_RETRY_SCHEDULE], [0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
  assert.ok(Object.isFrozen(DEFAULT_RETRY_SCHEDULE));
});

test('parseSchedule reads comma-separated seconds and falls back to the default', () => {
  assert.equal(parseSchedule(undefined), DEFAULT_RETRY_SCHEDULE);
  assert.equal(parseSchedule('  '), DEFAULT_RETRY_SCHEDULE);
  assert.deepEqual([...parseSchedule('0,1, 2 ,60')], [0, 1, 2, 60]);
  assert.deepEqual([...parseSchedule('0')], [0]);
});

test('parseSchedule rejects malformed values with a message naming the variable and entry', () => {
  const bad: Array<[string, RegExp]> = [
    ['0,5,abc', /entry 3 \("abc"\) is not a whole number/],
    ['0,,5', /entry 2 \(""\) is not a whole number/],
    ['0,-5', /entry 2 \("-5"\)/],
    ['1.5', /entry 1 \("1\.5"\)/],
    ['0,5,', /entry 3/],
    ['0,999999999', /longer than 604800 seconds/],
    [Array.from({ length: 51 }, () => '1').join(','), /at most 50 attempts/],
  ];
  for (const [value, message] of bad) {
    assert.throws(() => parseSchedule(value), (err: Error) => /^COLLOQUY_WEBHOOK_RETRY_SCHEDULE is invalid/.test(err.message) && message.test(err.message), value);
  }
});

test('nextAttemptAt walks the schedule and ends with null', () => {
  const due: Array<number | null> = [];
  for (let attempt = 0; attempt <= 8; attempt++) due.push(nextAttemptAt({ attempt, nowMs: NOW }));
  assert.deepEqual(due, [NOW, NOW + 5_000, NOW + 300_000, NOW + 1_800_000, NOW + 7_200_000, NOW + 18_000_000, NOW + 36_000_000, NOW + 36_000_000, null]);
  assert.equal(nextAttemptAt({ attempt: 2, schedule: [0, 1], nowMs: NOW }), null);
  assert.equal(nextAttemptAt({ attempt: 1, schedule: parseSchedule('0,1'), nowMs: NOW }), NOW + 1000);
  assert.throws(() => nextAttemptAt({ attempt: -1, nowMs: NOW }), /non-negative integer/);
  assert.throws(() => nextAttemptAt({ attempt: 1.5, nowMs: NOW }), /non-negative integer/);
});

test('nextAttemptAt honours a later Retry-After, ignores an earlier one, and caps it', () => {
  assert.equal(nextAttemptAt({ attempt: 1, nowMs: NOW, retryAfterSeconds: 120 }), NOW + 120_000);
  assert.equal(nextAttemptAt({ attempt: 2, nowMs: NOW, retryAfterSeconds: 120 }), NOW + 300_000);
  assert.equal(nextAttemptAt({ attempt: 1, nowMs: NOW, retryAfterSeconds: 10 * DAY / 1000 }), NOW + DAY);
  assert.equal(nextAttemptAt({ attempt: 1, nowMs: NOW, retryAfterSeconds: 7200, maxRetryAfterSeconds: 3600 }), NOW + 3_600_000);
  assert.equal(nextAttemptAt({ attempt: 1, nowMs: NOW, retryAfterSeconds: null }), NOW + 5_000);
  // A Retry-After cannot resurrect a delivery whose attempts are used up.
  assert.equal(nextAttemptAt({ attempt: 8, nowMs: NOW, retryAfterSeconds: 60 }), null);
});

test('shouldDisable: 410 at once, 5 days of continuous failure, never after a success', () => {
  assert.deepEqual(shouldDisable({ statusCode: 410, firstFailureAtMs: NOW, nowMs: NOW }), { disable: true, reason: 'gone' });
  assert.deepEqual(shouldDisable({ statusCode: 410, firstFailureAtMs: null, nowMs: NOW }), { disable: true, reason: 'gone' });
  assert.deepEqual(shouldDisable({ statusCode: 500, firstFailureAtMs: NOW - 5 * DAY, nowMs: NOW }), { disable: true, reason: 'failing_too_long' });
  assert.deepEqual(shouldDisable({ statusCode: null, firstFailureAtMs: NOW - 6 * DAY, nowMs: NOW }), { disable: true, reason: 'failing_too_long' });
  assert.deepEqual(shouldDisable({ statusCode: 500, firstFailureAtMs: NOW - 5 * DAY + 1, nowMs: NOW }), { disable: false, reason: null });
  assert.deepEqual(shouldDisable({ statusCode: 500, firstFailureAtMs: null, nowMs: NOW }), { disable: false, reason: null });
  assert.deepEqual(shouldDisable({ statusCode: 200, firstFailureAtMs: NOW - 30 * DAY, nowMs: NOW }), { disable: false, reason: null });
  assert.deepEqual(shouldDisable({ statusCode: 503, firstFailureAtMs: NOW - DAY, nowMs: NOW, disableAfterMs: DAY }), { disable: true, reason: 'failing_too_long' });
});
