// The local engine on a worker-thread pool, so CPU-heavy analyses (a three-hour transcript takes
// ~150 ms) never stall the event loop that serves HTTP. Same operations, same results.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { AppError } from '../../domain/errors.js';
import type { EmailDraft, Feedback, Insights, Keypoints, QueryResult } from '../schemas.js';
import type { AnalysisEngine } from '../types.js';
import { LOCAL_ENGINE_NAME } from './engine.js';
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
  /** Told when a worker thread fails outside a task (it could not start: EMFILE, out of memory). */
  onWorkerError?: (err: Error) => void;
}

/** Seconds a client should wait before retrying an analysis the pool could not run. */
const RETRY_AFTER_SECONDS = 5;

export function createPooledLocalEngine(opts: PoolOptions = {}): AnalysisEngine {
  const threads = Math.max(1, Math.floor(opts.threads ?? Math.max(1, availableParallelism() - 1)));
  const newPool = (minThreads: number) => {
    const p = new Piscina<WorkerTask, WorkerReply>({ filename: workerFile(), minThreads, maxThreads: threads, idleTimeout: opts.idleTimeoutMs ?? 60_000 });
    // Without a listener this 'error' would end the process. Piscina stops replacing workers that
    // fail while starting, and tasks queued for them could wait forever, so the pool is retired:
    // its queued tasks fail (503) and the next analysis starts a fresh pool. The fresh pool starts
    // workers on demand only, so a lasting cause (no file descriptors left) cannot make it spin.
    p.on('error', (err: Error) => {
      opts.onWorkerError?.(err);
      if (pool !== p) return;
      broken = true;
      void p.destroy().catch(() => {});
    });
    return p;
  };
  let pool = newPool(1);
  let broken = false;
  let closed = false;

  async function run<T>(task: WorkerTask): Promise<T> {
    if (broken && !closed) {
      broken = false;
      pool = newPool(0);
    }
    let reply: WorkerReply;
    try {
      reply = await pool.run(task);
    } catch (err) {
      // The thread, not the analysis, failed (it could not start, or it died): worth retrying later.
      throw new AppError('service_unavailable', 'The analysis engine is temporarily unavailable; try again shortly', {
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
        cause: err,
      });
    }
    if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, { details: reply.error.details });
    return reply.value as T;
  }

  return {
    name: LOCAL_ENGINE_NAME,
    keypoints: (conversation) => run<Keypoints>({ op: 'keypoints', conversation }),
    feedback: (conversation, o) => run<Feedback & { userSpeakerName: string }>({ op: 'feedback', conversation, opts: { userSpeakerName: o.userSpeakerName } }),
    query: (conversation, query) => run<QueryResult>({ op: 'query', conversation, query }),
    email: (conversation, o) => run<EmailDraft>({ op: 'email', conversation, opts: { recipientName: o.recipientName, tone: o.tone } }),
    insights: (conversation) => run<Insights>({ op: 'insights', conversation }),
    close: async () => {
      closed = true;
      await pool.destroy();
    },
  };
}
