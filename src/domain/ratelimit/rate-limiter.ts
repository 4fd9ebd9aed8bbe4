import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { Coalescer } from '../../db/coalesce.js';
import { hitWindow, peekWindow, type WindowState } from '../../db/repos/rate-limit.js';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds at which the oldest counted request leaves the window. */
  resetAt: number;
  /** Seconds to wait before retrying; 0 when allowed. */
  retryAfter: number;
}

export interface RateLimiter {
  hit(userId: string, limit: number, nowMs?: number): Promise<RateLimitDecision>;
  peek(userId: string, limit: number, nowMs?: number): Promise<RateLimitDecision>;
}

export const BUCKET_MS = 60_000;
export const WINDOW_BUCKETS = 60; // a rolling hour, in one-minute steps

function decide(used: number, oldestBucket: number | null, limit: number, allowed: boolean, nowMs: number): RateLimitDecision {
  const nowSec = Math.floor(nowMs / 1000);
  const resetAt = oldestBucket === null ? nowSec + WINDOW_BUCKETS * 60 : ((oldestBucket + WINDOW_BUCKETS) * BUCKET_MS) / 1000;
  return {
    allowed,
    limit,
    remaining: Math.max(0, limit - used),
    resetAt,
    retryAfter: allowed ? 0 : Math.max(1, resetAt - nowSec),
  };
}

/**
 * The rolling-hour limiter whose state lives in the database, shared by every server process. A
 * user's concurrent requests in one process are counted by one statement (see Coalescer), in the
 * order they arrived, so a burst costs one round trip per batch instead of one per request.
 */
export function createDbRateLimiter(db: Kysely<DB>, clock: () => number = Date.now): RateLimiter {
  const batches = new Coalescer<string, null, WindowState>((key, items) => {
    const [userId, bucket, limit] = key.split('\n');
    return hitWindow(db, userId, Number(bucket), WINDOW_BUCKETS, Number(limit), items.length);
  });
  return {
    async hit(userId, limit, nowMs = clock()) {
      const bucket = Math.floor(nowMs / BUCKET_MS);
      const s = await batches.call(`${userId}\n${bucket}\n${limit}`, null);
      return decide(s.used, s.oldestBucket, limit, s.admitted, nowMs);
    },
    async peek(userId, limit, nowMs = clock()) {
      const bucket = Math.floor(nowMs / BUCKET_MS);
      const s = await peekWindow(db, userId, bucket, WINDOW_BUCKETS);
      return decide(s.used, s.oldestBucket, limit, s.used < limit, nowMs);
    },
  };
}

/** For processes that must not count requests (admin interface, tests of other concerns). */
export const noRateLimiter: RateLimiter = {
  async hit(_userId, limit) {
    return { allowed: true, limit, remaining: limit, resetAt: Math.floor(Date.now() / 1000) + 3600, retryAfter: 0 };
  },
  async peek(_userId, limit) {
    return { allowed: true, limit, remaining: limit, resetAt: Math.floor(Date.now() / 1000) + 3600, retryAfter: 0 };
  },
};
