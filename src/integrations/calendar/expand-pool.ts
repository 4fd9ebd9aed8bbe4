// Feed parsing and recurrence expansion off the event loop, each feed with a time budget: a feed
// that needs longer (a recurrence bomb, tens of thousands of series) is a 502 for its owner while
// the server keeps answering everyone else.
import { Piscina } from 'piscina';
import { AppError } from '../../domain/errors.js';
import { threadEntry } from '../../threads/entry-options.js';
import type { ExpandReply, ExpandTask } from './expand-worker.js';
import type { CalendarEvent, EventQuery } from './types.js';

export interface FeedExpander {
  /** Upcoming events of a feed's text. 502 upstream_error when the feed is unusable or over budget. */
  expand(text: string, zone: string, q: EventQuery): Promise<CalendarEvent[]>;
  close(): Promise<void>;
}

export interface FeedExpanderOptions {
  /** Time one feed may take once a thread is up, queueing included. */
  budgetMs: number;
  threads?: number;
}

// Heap of one expansion thread: a feed is at most a few MB, so anything near this is a bomb.
const MAX_HEAP_MB = 256;

export function createFeedExpander(opts: FeedExpanderOptions): FeedExpander {
  // Started on first use: most servers never read an ICS feed.
  let pool: Piscina<ExpandTask | 'ping', ExpandReply> | null = null;
  const overBudget = () =>
    new AppError(
      'upstream_error',
      `The calendar feed is not usable: it could not be expanded within ${seconds(opts.budgetMs)} (too many events or recurrences)`,
    );

  return {
    async expand(text, zone, q) {
      pool ??= new Piscina<ExpandTask | 'ping', ExpandReply>({
        ...threadEntry(new URL('./expand-worker', import.meta.url)),
        minThreads: 0,
        maxThreads: Math.max(1, opts.threads ?? 2),
        idleTimeout: 30_000,
        resourceLimits: { maxOldGenerationSizeMb: MAX_HEAP_MB },
      });
      // Starting a thread (slow under a TypeScript loader) is not the feed's fault: wait for one,
      // then start the clock.
      await pool.run('ping');
      const signal = AbortSignal.timeout(opts.budgetMs);
      let reply: ExpandReply;
      try {
        reply = await pool.run({ text, zone, timeMinMs: q.timeMin.getTime(), maxResults: q.maxResults }, { signal });
      } catch (err) {
        // Aborted (the thread is stopped) or out of memory: either way the feed is over budget.
        if (signal.aborted || (err as NodeJS.ErrnoException)?.code === 'ERR_WORKER_OUT_OF_MEMORY') throw overBudget();
        throw err;
      }
      if (!reply.ok) throw new AppError('upstream_error', `The calendar feed is not usable: ${reply.message}`);
      return reply.events;
    },
    async close() {
      await pool?.destroy();
      pool = null;
    },
  };
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
