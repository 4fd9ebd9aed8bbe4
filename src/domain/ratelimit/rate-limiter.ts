import type { Kysely } from 'kysely';
import type { ConversationRow, DB } from '../../db/schema.js';
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

/**
 * A hit's decision and, when the hit named a conversation to preload, that conversation as the same
 * statement read it (null: no such id; the caller still checks owner and deletion).
 */
export interface Admission extends RateLimitDecision {
  conversation?: ConversationRow | null;
}

export interface RateLimiter {
  hit(userId: string, limit: number, nowMs?: number, preloadConversationId?: string): Promise<Admission>;
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
 * order they arrived, so a burst costs one round trip per batch instead of one per request. A read
 * of one conversation can ask for that row to come back with the hit (one round trip, not two).
 */
export function createDbRateLimiter(db: Kysely<DB>, clock: () => number = Date.now, onBatch?: (size: number) => void): RateLimiter {
  const batches = new Coalescer<string, string | null, { state: WindowState; conversation?: ConversationRow | null }>(async (key, items) => {
    const [userId, bucket, limit] = key.split('\n');
    const ids = [...new Set(items.filter((id): id is string => id !== null))];
    const { states, conversations } = await hitWindow(db, userId, Number(bucket), WINDOW_BUCKETS, Number(limit), items.length, ids);
    const byId = new Map(conversations.map((c) => [c.id, c]));
    return states.map((state, i) => {
      const id = items[i];
      return id === null ? { state } : { state, conversation: byId.get(id) ?? null };
    });
  }, { onBatch });
  return {
    async hit(userId, limit, nowMs = clock(), preloadConversationId) {
      const bucket = Math.floor(nowMs / BUCKET_MS);
      const { state: s, conversation } = await batches.call(`${userId}\n${bucket}\n${limit}`, preloadConversationId ?? null);
      const decision: Admission = decide(s.used, s.oldestBucket, limit, s.admitted, nowMs);
      if (conversation !== undefined) decision.conversation = conversation;
      return decision;
    },
    async peek(userId, limit, nowMs = clock()) {
      const bucket = Math.floor(nowMs / BUCKET_MS);
      const s = await peekWindow(db, userId, bucket, WINDOW_BUCKETS);
      return decide(s.used, s.oldestBucket, limit, s.used < limit, nowMs);
    },
  };
}

/** For processes that must not count requests (admin interface, tests of other concerns). */
async function unlimited(_userId: string, limit: number): Promise<RateLimitDecision> {
  return { allowed: true, limit, remaining: limit, resetAt: Math.floor(Date.now() / 1000) + 3600, retryAfter: 0 };
}

export const noRateLimiter: RateLimiter = { hit: unlimited, peek: unlimited };
