import type PgBoss from 'pg-boss';
import { isDatabaseUnavailable } from '../db/unavailable.js';

export interface Consumer {
  /** Stops fetching and waits for the job in hand. */
  stop(): Promise<void>;
}

export interface ConsumerOptions {
  pollMs: number;
  /** Ceiling of the backoff while the database is unavailable. */
  maxBackoffMs: number;
  run(job: PgBoss.JobWithMetadata): Promise<void>;
  /** Marks the job as held by this live process while it runs (see orphans.ts). */
  hold?(id: string): Promise<() => Promise<void>>;
}

/**
 * One job at a time from one queue. pg-boss's own `work()` records a job's outcome without awaiting
 * it, so a database outage at that moment was an unhandled rejection that ended the process; here
 * every database call is awaited and retried. A handler that fails because the database is down is
 * run again once it is back, instead of spending one of the job's retries on the outage, and an
 * outcome that cannot be recorded is retried until it is, so the job does not sit `active` until it
 * expires (minutes).
 */
export function startConsumer(boss: PgBoss, name: string, opts: ConsumerOptions): Consumer {
  let stopping = false;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (wake = null));
  const backoff = (attempt: number) => Math.min(opts.pollMs * 2 ** attempt, opts.maxBackoffMs);

  /** Retries `fn` while the database is unavailable; gives up on stop or on any other error. */
  async function persist(fn: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await fn();
        return;
      } catch (err) {
        if (stopping) return; // the job stays active; pg-boss hands it out again after it expires
        await pause(backoff(attempt));
        if (!isDatabaseUnavailable(err) && attempt >= 3) return;
      }
    }
  }

  async function handle(job: PgBoss.JobWithMetadata): Promise<void> {
    // Without the mark the job still runs; only a crash's recovery would be slower.
    const release = opts.hold ? await opts.hold(job.id).catch(() => null) : null;
    try {
      await runAndRecord(job);
    } finally {
      await release?.().catch(() => {});
    }
  }

  async function runAndRecord(job: PgBoss.JobWithMetadata): Promise<void> {
    let failure: unknown = null;
    for (let attempt = 0; ; attempt++) {
      try {
        await opts.run(job);
        failure = null;
        break;
      } catch (err) {
        failure = err;
        if (!isDatabaseUnavailable(err)) break;
        if (stopping) return;
        await pause(backoff(attempt));
      }
    }
    // Only the message is kept with the job: nothing of the payload or the transcript.
    if (failure) await persist(() => boss.fail(name, job.id, { message: failure instanceof Error ? failure.message : String(failure) }));
    else await persist(() => boss.complete(name, job.id));
  }

  const loop = (async () => {
    let failures = 0;
    while (!stopping) {
      let jobs: PgBoss.JobWithMetadata[];
      try {
        jobs = await boss.fetch(name, { batchSize: 1, includeMetadata: true });
        failures = 0;
      } catch {
        await pause(backoff(failures++));
        continue;
      }
      if (!jobs.length) {
        await pause(opts.pollMs);
        continue;
      }
      for (const job of jobs) await handle(job);
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
