import type { PGliteRemote } from './pglite-remote.js';
import { isBackground } from './statement-priority.js';

type PGlite = Pick<PGliteRemote, 'query' | 'exec' | 'waitReady' | 'close' | 'closed'>;
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

// PGlite is one connection (on its own thread, see pglite-remote.ts). Kysely may ask for a connection per query or hold one
// for a whole transaction, so access is serialised with a lock: a transaction keeps the lock from
// BEGIN to COMMIT and no other query can interleave with it.
//
// Waiters are served in order of arrival, except that statements marked as background (searches, see
// statement-priority.ts) let the interactive ones waiting go first: a profile or a list page then
// waits for at most the one statement running, not for every search queued before it. Background
// waiters are not starved: after BACKGROUND_EVERY interactive turns in a row, the oldest one goes.
// When an interactive statement ends and only background ones wait, their turn starts on the next
// turn of the event loop, so the same request's next statement (issued as soon as the last one's
// rows arrive) keeps its place.
const BACKGROUND_EVERY = 4;

export class StatementLock {
  #held = false;
  #interactive: Array<() => void> = [];
  #background: Array<() => void> = [];
  #interactiveInARow = 0;
  #deferred = false;

  acquire(background = false): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.#held = true;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.#release(background);
        });
      };
      (background ? this.#background : this.#interactive).push(grant);
      if (!this.#held && (!this.#deferred || !background)) this.#next();
    });
  }

  /** Waiting: interactive and background statements (for tests and metrics). */
  get waiting(): { interactive: number; background: number } {
    return { interactive: this.#interactive.length, background: this.#background.length };
  }

  #release(wasBackground: boolean): void {
    this.#held = false;
    if (!wasBackground && this.#interactive.length === 0 && this.#background.length > 0) {
      // Give the request that just ran a moment to ask for its next statement.
      this.#deferred = true;
      setImmediate(() => {
        this.#deferred = false;
        if (!this.#held) this.#next();
      });
      return;
    }
    this.#next();
  }

  #next(): void {
    const takeBackground = this.#background.length > 0 && (this.#interactive.length === 0 || this.#interactiveInARow >= BACKGROUND_EVERY);
    const grant = takeBackground ? this.#background.shift() : this.#interactive.shift();
    if (!grant) return;
    // Interactive turns count only while a background statement is waiting for its own.
    this.#interactiveInARow = takeBackground || this.#background.length === 0 ? 0 : this.#interactiveInARow + 1;
    grant();
  }
}

const MULTI_STATEMENT = /;\s*\S/;

class PGliteConnection implements DatabaseConnection {
  constructor(
    private readonly pg: PGlite,
    readonly release: () => void,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Several statements in one string (the job queue's migrations) need the simple query protocol.
    if (query.parameters.length === 0 && MULTI_STATEMENT.test(query.sql)) {
      const results = await this.pg.exec(query.sql);
      const last = results.at(-1);
      return { rows: (last?.rows ?? []) as R[], numAffectedRows: last?.affectedRows !== undefined ? BigInt(last.affectedRows) : undefined };
    }
    const res = await this.pg.query<R>(query.sql, query.parameters as unknown[]);
    const affected = res.affectedRows ?? 0;
    return {
      rows: res.rows,
      numAffectedRows: /^\s*(insert|update|delete|merge)/i.test(query.sql) ? BigInt(affected) : undefined,
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on PGlite');
  }
}

class PGliteDriver implements Driver {
  readonly #lock = new StatementLock();
  constructor(private readonly pg: PGlite) {}

  async init(): Promise<void> {
    await this.pg.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#lock.acquire(isBackground());
    return new PGliteConnection(this.pg, release);
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    (conn as PGliteConnection).release();
  }

  async destroy(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}
