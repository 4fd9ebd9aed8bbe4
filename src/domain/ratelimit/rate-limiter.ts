import type { Kysely } from 'kysely';
import type { ConversationRow, DB } from '../../db/schema.js';
import { Coalescer } from '../../db/coalesce.js';
import { hitWindow, peekWindow, returnUnits, type WindowState } from '../../db/repos/rate-limit.js';

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
  /** Gives back what this process took ahead and did not use (see leases). */
  close?(): Promise<void>;
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
 * A process may count a busy user's next requests ahead, in one statement, and admit them locally:
 * at most 1 % of the hourly limit (so never for small limits, which stay exact across processes), at
 * most this many, and only while the user is far from the limit.
 */
export const MAX_LEASE = 64;
const leaseCap = (limit: number) => Math.min(MAX_LEASE, Math.floor(limit / 100));

/** Requests counted ahead for one user in one minute bucket, admitted here without a statement. */
interface Lease {
  bucket: number;
  limit: number;
  /** Units left; each admits one request. */
  left: number;
  /** The window's count the next leased request makes. */
  nextUsed: number;
  oldestBucket: number | null;
}

/**
 * The rolling-hour limiter whose state lives in the database, shared by every server process. A
 * user's concurrent requests in one process are counted by one statement (see Coalescer), in the
 * order they arrived, so a burst costs one round trip per batch instead of one per request. A read
 * of one conversation can ask for that row to come back with the hit (one round trip, not two).
 *
 * A user who keeps a process busy (more than one request a second) has their next requests counted
 * ahead with the current ones (a lease of up to 1 % of the limit, as many as they made in the last
 * second): those are admitted here with no statement, and the window's count still includes them,
 * so no process can admit more than the limit. Units the user did not spend in their minute are
 * given back (the next hit, a sweep each minute, or close); until then other processes see them as
 * used. Within one process every admitted request is numbered exactly.
 */
export function createDbRateLimiter(db: Kysely<DB>, clock: () => number = Date.now, onBatch?: (size: number) => void): RateLimiter {
  const leases = new Map<string, Lease>();
  /** Each user's requests in the current second here (how large a lease they would use). */
  const pace = new Map<string, { second: number; n: number; previous: number }>();
  const returns = new Set<Promise<void>>();
  /** A user's units being given back: their next counted request waits for it, so its count is exact. */
  const returning = new Map<string, Promise<void>>();
  /** The window's count as this process last read it, per user. */
  const lastUsed = new Map<string, number>();

  const giveBack = (userId: string, lease: Lease): Promise<void> => {
    if (lease.left <= 0) return Promise.resolve();
    const units = lease.left;
    lease.left = 0;
    const p = returnUnits(db, userId, lease.bucket, units).catch(() => {
      /* the units stay counted until they leave the window: the user only sees fewer remaining */
    });
    returns.add(p);
    returning.set(userId, p);
    void p.finally(() => {
      returns.delete(p);
      if (returning.get(userId) === p) returning.delete(userId);
    });
    return p;
  };
  const recentPace = (userId: string, nowMs: number): number => {
    const second = Math.floor(nowMs / 1000);
    let p = pace.get(userId);
    if (!p || p.second < second - 1) p = { second, n: 0, previous: 0 };
    else if (p.second === second - 1) p = { second, n: 0, previous: p.n };
    p.n++;
    pace.set(userId, p);
    return Math.max(p.n, p.previous);
  };

  const batches = new Coalescer<string, string | null, { state: WindowState; conversation?: ConversationRow | null }>(async (key, items) => {
    const [userId, bucketText, limitText, leaseText] = key.split('\n');
    const bucket = Number(bucketText);
    const limit = Number(limitText);
    const ids = [...new Set(items.filter((id): id is string => id !== null))];
    const ahead = Number(leaseText);
    const { states, conversations } = await hitWindow(db, userId, bucket, WINDOW_BUCKETS, limit, items.length + ahead, ids);
    const leased = states.slice(items.length).filter((s) => s.admitted);
    if (leased.length) {
      const old = leases.get(userId);
      if (old) void giveBack(userId, old);
      leases.set(userId, { bucket, limit, left: leased.length, nextUsed: leased[0].used, oldestBucket: leased[0].oldestBucket });
    }
    const byId = new Map(conversations.map((c) => [c.id, c]));
    return items.map((id, i) => (id === null ? { state: states[i] } : { state: states[i], conversation: byId.get(id) ?? null }));
  }, { onBatch });

  // Leases of past minutes go back even when their user makes no further request.
  const sweep = setInterval(() => {
    const bucket = Math.floor(clock() / BUCKET_MS);
    for (const [userId, lease] of leases) {
      if (lease.bucket < bucket) {
        void giveBack(userId, lease);
        leases.delete(userId);
      }
    }
    const second = Math.floor(clock() / 1000);
    for (const [userId, p] of pace) {
      if (p.second < second - 1) {
        pace.delete(userId);
        lastUsed.delete(userId);
      }
    }
  }, BUCKET_MS);
  sweep.unref();

  return {
    async hit(userId, limit, nowMs = clock(), preloadConversationId) {
      const bucket = Math.floor(nowMs / BUCKET_MS);
      const busy = recentPace(userId, nowMs);
      const lease = leases.get(userId);
      if (lease && (lease.bucket !== bucket || lease.limit !== limit)) {
        // Given back before this request is counted, so the count it reads no longer holds them.
        leases.delete(userId);
        await giveBack(userId, lease);
      } else if (lease && lease.left > 0 && preloadConversationId === undefined) {
        lease.left--;
        return decide(lease.nextUsed++, lease.oldestBucket, limit, true, nowMs);
      }
      await returning.get(userId);
      // Ahead only for a busy user far from the limit (the last count read here left more than half).
      const cap = leaseCap(limit);
      const used = lastUsed.get(userId);
      const ahead = cap > 1 && busy > 1 && used !== undefined && used < limit / 2 ? Math.min(cap, busy) : 0;
      const { state: s, conversation } = await batches.call(`${userId}\n${bucket}\n${limit}\n${ahead}`, preloadConversationId ?? null);
      lastUsed.set(userId, s.used);
      const decision: Admission = decide(s.used, s.oldestBucket, limit, s.admitted, nowMs);
      if (conversation !== undefined) decision.conversation = conversation;
      return decision;
    },
    async peek(userId, limit, nowMs = clock()) {
      const bucket = Math.floor(nowMs / BUCKET_MS);
      const s = await peekWindow(db, userId, bucket, WINDOW_BUCKETS);
      // What this process counted ahead and has not used is not spent.
      const lease = leases.get(userId);
      const used = s.used - (lease && lease.bucket === bucket ? lease.left : 0);
      return decide(used, s.oldestBucket, limit, used < limit, nowMs);
    },
    async close() {
      clearInterval(sweep);
      for (const [userId, lease] of leases) void giveBack(userId, lease);
      leases.clear();
      await Promise.all(returns);
    },
  };
}

/** For processes that must not count requests (admin interface, tests of other concerns). */
async function unlimited(_userId: string, limit: number): Promise<RateLimitDecision> {
  return { allowed: true, limit, remaining: limit, resetAt: Math.floor(Date.now() / 1000) + 3600, retryAfter: 0 };
}

export const noRateLimiter: RateLimiter = { hit: unlimited, peek: unlimited };
