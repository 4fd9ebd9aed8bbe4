import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { createPgBossQueue, type JobQueue } from './queue.js';

/**
 * Starts pg-boss on first use: most requests never enqueue a job, and a process that never does
 * (a test, a CLI command) should not pay for creating the queue's schema.
 */
export function lazyQueue(opts: { db: Kysely<DB>; databaseUrl: string | null; supervise: boolean }): JobQueue & { started(): boolean } {
  let queue: Promise<JobQueue> | null = null;
  const get = () => (queue ??= createPgBossQueue(opts));
  return {
    started: () => queue !== null,
    async enqueue(trx, name, data) {
      await (await get()).enqueue(trx, name, data);
    },
    async work(name, handler) {
      await (await get()).work(name, handler);
    },
    async stop() {
      if (queue) await (await queue).stop();
    },
  };
}
