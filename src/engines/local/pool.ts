// The local engine on a worker-thread pool, so CPU-heavy analyses (a three-hour transcript takes
// ~150 ms) never stall the event loop that serves HTTP. Same operations, same results. Tasks are
// admitted through a FairQueue, so one user's huge analyses cannot keep everyone else waiting.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AppError } from '../../domain/errors.js';
import type { EmailDraft, Feedback, Insights, Keypoints, QueryResult } from '../schemas.js';
import type { AnalysisEngine, EngineCallContext, EngineConversation } from '../types.js';
import { LOCAL_ENGINE_NAME } from './engine.js';
import { cancelledError, FairQueue } from './fair-queue.js';
import type { WorkerReply, WorkerTask } from './worker-protocol.js';

/**
 * Under tsx (tests, dev) this module is `pool.ts` and workers inherit tsx's loader through
 * execArgv, so they can load `worker.ts`; compiled, it is `pool.js` next to `worker.js`.
 */
function workerFile(): string {
  const ext = new URL(import.meta.url).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./worker${ext}`, import.meta.url).href;
}

export interface PoolOptions {
  /** Maximum worker threads; defaults to the machine's parallelism minus one (at least 1). */
  threads?: number;
  /** Idle workers are stopped after this long (ms). */
  idleTimeoutMs?: number;
  /** Analyses one user may have running at once (default: half the threads, at least 1). */
  perUser?: number;
  /** A run whose client went away is stopped after this long (ms), freeing its thread. */
  abandonAfterMs?: number;
  /** Transcripts of at most this many characters are small: they never queue behind large ones. */
  smallChars?: number;
}

/** About a one-hour meeting: analyses this size take milliseconds. */
export const SMALL_TRANSCRIPT_CHARS = 60_000;
export const ABANDON_AFTER_MS = 10_000;

function sizeOf(c: EngineConversation): number {
  let chars = 0;
  for (const s of c.segments) chars += s.text.length;
  return chars;
}

export function createPooledLocalEngine(opts: PoolOptions = {}): AnalysisEngine {
  const threads = Math.max(1, Math.floor(opts.threads ?? Math.max(1, availableParallelism() - 1)));
  const queue = new FairQueue({
    threads,
    perUser: opts.perUser ?? Math.max(1, Math.floor(threads / 2)),
    smallSize: opts.smallChars ?? SMALL_TRANSCRIPT_CHARS,
  });
  const abandonAfterMs = opts.abandonAfterMs ?? ABANDON_AFTER_MS;
  const idleTimeout = opts.idleTimeoutMs ?? 60_000;
  // Two pools: the general threads (below normal priority) and the express thread for small
  // tasks, so a small analysis never shares a thread's queue or its CPU share with a huge one.
  const general = new Piscina<WorkerTask, WorkerReply>({ filename: workerFile(), minThreads: 1, maxThreads: threads, idleTimeout });
  const express = new Piscina<WorkerTask, WorkerReply>({ filename: workerFile(), minThreads: 1, maxThreads: 1, idleTimeout });

  async function run<T>(task: WorkerTask, ctx: EngineCallContext = {}): Promise<T> {
    const { signal } = ctx;
    const admission = await queue.acquire(ctx.userId ?? '', sizeOf(task.conversation), signal);
    // Work whose client went away may still finish (its result is stored for the next request),
    // but only within a budget: then the thread is taken back.
    const stop = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => stop.abort(), abandonAfterMs);
      timer.unref();
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = admission.express
        ? await express.run(task, { signal: stop.signal })
        : await general.run({ ...task, background: true }, { signal: stop.signal });
      if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, { details: reply.error.details });
      return reply.value as T;
    } catch (err) {
      if (stop.signal.aborted) throw cancelledError();
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      admission.release();
    }
  }

  return {
    name: LOCAL_ENGINE_NAME,
    keypoints: (conversation, ctx) => run<Keypoints>({ op: 'keypoints', conversation }, ctx),
    feedback: (conversation, o, ctx) =>
      run<Feedback & { userSpeakerName: string }>({ op: 'feedback', conversation, opts: { userSpeakerName: o.userSpeakerName } }, ctx),
    query: (conversation, query, ctx) => run<QueryResult>({ op: 'query', conversation, query }, ctx),
    email: (conversation, o, ctx) => run<EmailDraft>({ op: 'email', conversation, opts: { recipientName: o.recipientName, tone: o.tone } }, ctx),
    insights: (conversation, ctx) => run<Insights>({ op: 'insights', conversation }, ctx),
    close: async () => {
      await Promise.all([general.destroy(), express.destroy()]);
    },
  };
}
