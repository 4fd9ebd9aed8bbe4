import { Piscina } from 'piscina';
import type { Results } from '@electric-sql/pglite';
import { threadEntry } from '../threads/entry-options.js';

// The main thread's side of the embedded database's own thread (pglite-thread.ts): the methods of
// PGlite the Kysely driver uses (query, exec, close), each a task for that one thread and its answer.
// Rows, dates, JSON and bigints cross as structured clones; errors keep their SQLSTATE or errno
// `code` and their causes, so callers tell a unique violation from a full disk as before.

export type Op = { op: 'query'; sql: string; params: unknown[] } | { op: 'exec'; sql: string } | { op: 'close' } | { op: 'ping' } | { op: 'dump' };
export type Reply = { ok: true; result: unknown } | { ok: false; error: SerializedError };

type SerializedError = { name: string; message: string; stack?: string; props: Record<string, unknown>; cause?: SerializedError };

export function serializeError(err: unknown, depth = 0): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), props: {} };
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) {
    if (v === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof v)) props[k] = v;
  }
  const cause = (err as { cause?: unknown }).cause;
  return { name: err.name, message: err.message, stack: err.stack, props, ...(cause !== undefined && depth < 5 ? { cause: serializeError(cause, depth + 1) } : {}) };
}

function revive(e: SerializedError): Error {
  const err = Object.assign(new Error(e.message, e.cause ? { cause: revive(e.cause) } : undefined), e.props);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

/** The thread stopped (it could not open the database, or crashed): unreachable now, as with a failed disk (EIO: 503, not 500). */
function stopped(err: unknown): Error {
  return Object.assign(new Error(`The embedded database's thread stopped: ${(err as Error)?.message ?? err}`, { cause: err }), { code: 'EIO' });
}

export class PGliteRemote {
  readonly #pool: Piscina<Op, Reply>;
  #closed = false;
  #stopped: Error | null = null;
  /** Settles when the thread has opened the database (rejects with why it could not). */
  readonly waitReady: Promise<void>;

  /** `template`: a file written by `dump()` that an in-memory database starts from instead of an empty cluster. */
  constructor(dataDir: string | null, template: string | null = null) {
    const entry = threadEntry(new URL('./pglite-thread', import.meta.url));
    // One thread, kept for the life of the process (an in-memory database lives in it), one statement at a time.
    this.#pool = new Piscina<Op, Reply>({ ...entry, workerData: { ...entry.workerData, dataDir, template }, minThreads: 1, maxThreads: 1, idleTimeout: Infinity, concurrentTasksPerWorker: 1 });
    // A thread that cannot open the database, or dies, stops the pool (Piscina would start it again
    // and again): the statements waiting and every later one fail as unavailable (503).
    this.#pool.on('error', (err: Error) => {
      this.#stopped ??= stopped(err);
      void this.#pool.destroy().catch(() => {});
    });
    this.waitReady = this.#call({ op: 'ping' }).then(() => undefined);
  }

  get closed(): boolean {
    return this.#closed;
  }

  async #call<T>(op: Op): Promise<T> {
    if (this.#stopped) throw this.#stopped;
    let reply: Reply;
    try {
      reply = await this.#pool.run(op);
    } catch (err) {
      throw this.#stopped ?? stopped(err);
    }
    if (!reply.ok) throw revive(reply.error);
    return reply.result as T;
  }

  query<R>(sql: string, params: unknown[] = []): Promise<Results<R>> {
    return this.#call({ op: 'query', sql, params });
  }

  exec(sql: string): Promise<Array<Results>> {
    return this.#call({ op: 'exec', sql });
  }

  /** The whole database as PGlite's data-folder archive (uncompressed tar). */
  dump(): Promise<Uint8Array> {
    return this.#call({ op: 'dump' });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#call({ op: 'close' });
    } catch {
      // Closing a thread that never opened the database, or died: nothing left to close.
    } finally {
      await this.#pool.destroy().catch(() => {});
    }
  }
}
