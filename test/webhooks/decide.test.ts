// The retry policy after one attempt, without a database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/domain/webhooks/record.js';
import { DEFAULT_RETRY_SCHEDULE } from '../../src/integrations/webhooks/schedule.js';

const NOW = Date.UTC(2026, 2, 19, 12, 0, 0);
const at = new Date(NOW);
const DAY = 24 * 3600 * 1000;
const ok = { ok: true, statusCode: 200, retryAfterSeconds: null };
const fail = (statusCode: number | null, retryAfterSeconds: number | null = null) => ({ ok: false, statusCode, retryAfterSeconds });
const base = { retryBase: 0, failingSince: null, attemptedAt: at, nowMs: NOW, schedule: DEFAULT_RETRY_SCHEDULE };

test('a success is final', () => {
  assert.deepEqual(decide({ ...base, result: ok, attempt: 3, failingSince: new Date(NOW - 6 * DAY) }), { status: 'delivered', nextAttemptAt: null, disable: null });
});

test('failures walk the Standard Webhooks schedule and then give up', () => {
  const delays = [];
  for (let attempt = 1; attempt <= 8; attempt++) {
    const d = decide({ ...base, result: fail(500), attempt });
    delays.push(d.nextAttemptAt ? (d.nextAttemptAt.getTime() - NOW) / 1000 : d.status);
  }
  assert.deepEqual(delays, [5, 300, 1800, 7200, 18000, 36000, 36000, 'failed']);
});

test('a replay starts a fresh run: the schedule counts from the replay', () => {
  const d = decide({ ...base, result: fail(null), attempt: 10, retryBase: 9 });
  assert.deepEqual([d.status, d.nextAttemptAt!.getTime() - NOW], ['pending', 5_000]);
  assert.equal(decide({ ...base, result: fail(500), attempt: 17, retryBase: 9 }).status, 'failed');
});

test('Retry-After only pushes later, and 410 or five failing days disable', () => {
  assert.equal(decide({ ...base, result: fail(429, 120), attempt: 1 }).nextAttemptAt!.getTime() - NOW, 120_000);
  assert.equal(decide({ ...base, result: fail(503, 1), attempt: 2 }).nextAttemptAt!.getTime() - NOW, 300_000);
  assert.deepEqual(decide({ ...base, result: fail(410), attempt: 1 }), { status: 'disabled', nextAttemptAt: null, disable: 'gone' });
  assert.deepEqual(decide({ ...base, result: fail(502), attempt: 4, failingSince: new Date(NOW - 5 * DAY) }).disable, 'failing_too_long');
  assert.equal(decide({ ...base, result: fail(502), attempt: 4, failingSince: new Date(NOW - 4 * DAY) }).status, 'pending');
});
