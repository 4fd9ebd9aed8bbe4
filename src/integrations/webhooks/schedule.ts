// When to try a failed delivery again, and when to give up on an endpoint altogether.
// Pure functions over numbers so the worker can store `next_attempt_at` and tests can
// step through a whole retry history without waiting.

/** Delay in seconds before attempt n+1, measured from attempt n (attempt 1 is immediate). */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = Object.freeze([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);

export const RETRY_SCHEDULE_ENV = 'COLLOQUY_WEBHOOK_RETRY_SCHEDULE';
export const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;
export const DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;
const MAX_SCHEDULE_ENTRIES = 50;
const MAX_DELAY_SECONDS = 7 * 24 * 60 * 60;

/** Parses a comma-separated list of delays in seconds; unset or blank means the default. */
export function parseSchedule(envValue?: string): readonly number[] {
  if (envValue === undefined || envValue.trim() === '') return DEFAULT_RETRY_SCHEDULE;
  const parts = envValue.split(',').map((p) => p.trim());
  const fail = (why: string): never => {
    throw new Error(`${RETRY_SCHEDULE_ENV} is invalid: ${why}. Expected comma-separated whole seconds, e.g. "0,5,300,1800".`);
  };
  if (parts.length > MAX_SCHEDULE_ENTRIES) fail(`at most ${MAX_SCHEDULE_ENTRIES} attempts are allowed, got ${parts.length}`);
  const schedule = parts.map((part, i) => {
    if (!/^\d+$/.test(part)) fail(`entry ${i + 1} (${JSON.stringify(part)}) is not a whole number of seconds`);
    const seconds = Number(part);
    if (seconds > MAX_DELAY_SECONDS) fail(`entry ${i + 1} (${seconds}) is longer than ${MAX_DELAY_SECONDS} seconds (7 days)`);
    return seconds;
  });
  return Object.freeze(schedule);
}

/**
 * When the next attempt is due, in epoch ms, after `attempt` attempts have been made
 * (`attempt: 0` gives the time of the first one); null once the schedule is used up.
 * A Retry-After from the receiver pushes the attempt later, never earlier, and is capped so
 * a hostile or buggy receiver cannot park a delivery indefinitely.
 */
export function nextAttemptAt({
  attempt,
  schedule = DEFAULT_RETRY_SCHEDULE,
  nowMs,
  retryAfterSeconds = null,
  maxRetryAfterSeconds = MAX_RETRY_AFTER_SECONDS,
}: {
  attempt: number;
  schedule?: readonly number[];
  nowMs: number;
  retryAfterSeconds?: number | null;
  maxRetryAfterSeconds?: number;
}): number | null {
  if (!Number.isInteger(attempt) || attempt < 0) throw new Error(`attempt must be a non-negative integer, got ${attempt}`);
  if (attempt >= schedule.length) return null;
  let delaySeconds = schedule[attempt];
  if (retryAfterSeconds !== null && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0) {
    delaySeconds = Math.max(delaySeconds, Math.min(retryAfterSeconds, maxRetryAfterSeconds));
  }
  return nowMs + delaySeconds * 1000;
}

export type DisableReason = 'gone' | 'failing_too_long';

export interface DisableDecision {
  disable: boolean;
  reason: DisableReason | null;
}

/**
 * Whether the endpoint should be switched off after an attempt. `firstFailureAtMs` is the
 * start of the current unbroken run of failures (null when the last attempt succeeded).
 */
export function shouldDisable({
  statusCode,
  firstFailureAtMs,
  nowMs,
  disableAfterMs = DISABLE_AFTER_MS,
}: {
  statusCode: number | null;
  firstFailureAtMs: number | null;
  nowMs: number;
  disableAfterMs?: number;
}): DisableDecision {
  // 410 is the receiver explicitly saying the endpoint will never come back.
  if (statusCode === 410) return { disable: true, reason: 'gone' };
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { disable: false, reason: null };
  if (firstFailureAtMs !== null && nowMs - firstFailureAtMs >= disableAfterMs) return { disable: true, reason: 'failing_too_long' };
  return { disable: false, reason: null };
}
