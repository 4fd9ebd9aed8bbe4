// The local engine on a worker-thread pool, so CPU-heavy analyses (a three-hour transcript takes
// ~150 ms) never stall the event loop that serves HTTP. Same operations, same results. Tasks are
// admitted through a FairQueue, so one user's huge analyses cannot keep everyone else waiting.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AppError } from '../../domain/errors.js';
import { threadEntry } from '../../threads/entry-options.js';
import type { EmailDraft, Feedback, Insights, Keypoints, QueryResult } from '../schemas.js';
import type { AnalysisEngine, EngineCallContext, EngineConversation } from '../types.js';
import { LOCAL_ENGINE_NAME } from './engine.js';
import { cancelledError, FairQueue } from '../../domain/fair-queue.js';
import type { WorkerReply, WorkerTask } from './worker-protocol.js';

export interface PoolOptions {
  /** Maximum worker threads; defaults to the machine's parallelism minus one (at least 1). */
  threads?: number;
  /** Idle workers are stopped after this long (ms). */
  idleTimeoutMs?: number;
  /** Told when a worker thread fails outside a task (it could not start: EMFILE, out of memory). */
  onWorkerError?: (err: Error) => void;
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

/** Seconds a client should wait before retrying an analysis the pool could not run. */
const RETRY_AFTER_SECONDS = 5;

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
  // A pool whose worker fails outside a task (EMFILE, out of memory) would end the process without
  // an 'error' listener; Piscina stops replacing workers that fail while starting, so such a pool
  // is retired: its queued tasks fail (503) and the next analysis starts a fresh one, which starts
  // workers on demand only, so a lasting cause cannot make it spin.
  interface Lane { pool: Piscina<WorkerTask, WorkerReply>; broken: boolean; maxThreads: number }
  let closed = false;
  const newPool = (lane: Lane, minThreads: number) => {
    const p = new Piscina<WorkerTask, WorkerReply>({ ...threadEntry(new URL('./worker', import.meta.url)), minThreads, maxThreads: lane.maxThreads, idleTimeout });
    p.on('error', (err: Error) => {
      opts.onWorkerError?.(err);
      if (lane.pool !== p) return;
      lane.broken = true;
      void p.destroy().catch(() => {});
    });
    return p;
  };
  const makeLane = (maxThreads: number): Lane => {
    const lane = { broken: false, maxThreads } as Lane;
    lane.pool = newPool(lane, 1);
    return lane;
  };
  const general = makeLane(threads);
  const express = makeLane(1);

  async function runOn(lane: Lane, task: WorkerTask, signal: AbortSignal): Promise<WorkerReply> {
    if (lane.broken && !closed) {
      lane.broken = false;
      lane.pool = newPool(lane, 0);
    }
    try {
      return await lane.pool.run(task, { signal });
    } catch (err) {
      if (signal.aborted) throw err;
      // The thread, not the analysis, failed (it could not start, or it died): worth retrying later.
      throw new AppError('service_unavailable', 'The analysis engine is temporarily unavailable; try again shortly', {
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
        cause: err,
      });
    }
  }

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
      const reply = admission.express ? await runOn(express, task, stop.signal) : await runOn(general, { ...task, background: true }, stop.signal);
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
      closed = true;
      await Promise.all([general.pool.destroy(), express.pool.destroy()]);
    },
  };
}
