import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { deleteIdempotencyKeysBefore } from '../db/repos/conversations.js';
import { pruneBuckets } from '../db/repos/rate-limit.js';
import { IDEMPOTENCY_TTL_MS } from '../domain/conversations/service.js';
import { BUCKET_MS, WINDOW_BUCKETS } from '../domain/ratelimit/rate-limiter.js';
import type { WorkerStarter } from '../workers.js';

const EVERY_MS = 10 * 60_000;

/**
 * Rate-limit buckets that left the rolling hour and idempotency keys past their 24 hours are never
 * read again (expired keys are also replaced on reuse); without this they would pile up forever.
 */
export async function pruneExpired(db: Kysely<DB>, now: Date): Promise<{ buckets: number; idempotencyKeys: number }> {
  const buckets = await pruneBuckets(db, Math.floor(now.getTime() / BUCKET_MS) - WINDOW_BUCKETS);
  const idempotencyKeys = await deleteIdempotencyKeysBefore(db, new Date(now.getTime() - IDEMPOTENCY_TTL_MS));
  return { buckets, idempotencyKeys };
}

/** Prunes at start and every ten minutes; several processes doing it at once is harmless. */
export const startMaintenance: WorkerStarter = async (container) => {
  const run = () => pruneExpired(container.db, container.clock()).catch(() => {});
  let current = run();
  const timer = setInterval(() => {
    current = run();
  }, EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await current;
  };
};
