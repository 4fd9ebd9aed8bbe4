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
}

export function createPooledLocalEngine(opts: PoolOptions = {}): AnalysisEngine {
  const threads = Math.max(1, Math.floor(opts.threads ?? Math.max(1, availableParallelism() - 1)));
  const pool = new Piscina<WorkerTask, WorkerReply>({
    filename: workerFile(),
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: opts.idleTimeoutMs ?? 60_000,
  });

  async function run<T>(task: WorkerTask): Promise<T> {
    const reply = await pool.run(task);
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
    close: () => pool.destroy(),
  };
}
