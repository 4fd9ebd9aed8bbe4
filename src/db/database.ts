import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import { PGliteDialect } from './pglite-driver.js';
import { PGliteRemote } from './pglite-remote.js';
import { withPreparedStatements } from './prepared-pool.js';
import { latestMigration, migrationProvider } from './migrations/index.js';
import { secureDataDir } from '../data-dir.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseKind;
  /** The folder of an embedded database kept on disk; null for PostgreSQL and in-memory PGlite. */
  readonly dataDir: string | null;
  migrate(): Promise<void>;
  /** True when the newest migration this build knows has been applied. */
  isMigrated(): Promise<boolean>;
  close(): Promise<void>;
  /** Embedded only: the database as an archive `DatabaseOptions.template` can start from. */
  dump(): Promise<Uint8Array>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl?: string | null;
  /** Folder for PGlite's files; `null` keeps PGlite in memory (tests). */
  dataDir?: string | null;
  poolSize?: number;
  /** PostgreSQL: statements of this pool running longer are cancelled (0 or absent: no limit). */
  statementTimeoutMs?: number;
  /** In-memory PGlite only: an archive written from `dump()` to start from (tests). */
  template?: string | null;
  /** Where a warning about the data folder goes; stderr by default. */
  warn?: (message: string) => void;
}

// node-postgres returns int8 and numeric as strings; every count we read is cast to int in SQL, so the
// defaults stay. Dates stay Date, jsonb is parsed by both drivers.
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  let db: Kysely<DB>;
  let kind: DatabaseKind;
  let embedded: PGliteRemote | null = null;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    });
    // A failed idle client must not crash the process; the next query reports the problem.
    pool.on('error', () => {});
    // Nor may a checked-out one: pg-pool listens for errors on idle clients only, and a connection
    // that dies mid-transaction (the server stopped) emits 'error' besides failing its query.
    pool.on('connect', (client) => client.on('error', () => {}));
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
    kind = 'postgres';
  } else {
    if (opts.dataDir) {
      // This process owns the embedded database: its umask keeps what it creates private. (PGlite
      // writes a new database's files with explicit 0666 modes, so those are tightened once it is ready.)
      process.umask(0o077);
      const loosened = secureDataDir(opts.dataDir);
      if (loosened) {
        const warn = opts.warn ?? ((m: string) => process.stderr.write(`colloquy: warning: ${m}\n`));
        warn(`${loosened} files and folders in the data folder ${opts.dataDir} were readable by other users; they are now private to this user (0600/0700)`);
      }
    }
    // PGlite runs each statement synchronously on the thread that owns it: a thread of its own keeps
    // a slow statement from stopping the HTTP server.
    const pglite = new PGliteRemote(opts.dataDir ?? null, opts.template ?? null);
    embedded = pglite;
    await pglite.waitReady.catch(async (err: unknown) => {
      await pglite.close().catch(() => {});
      throw err;
    });
    if (opts.dataDir) secureDataDir(opts.dataDir);
    db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    kind = 'pglite';
  }

  return {
    db,
    kind,
    dataDir: kind === 'pglite' ? (opts.dataDir ?? null) : null,
    async migrate() {
      // Migrations may rebuild indexes over every row: on PostgreSQL they get a connection of their
      // own without the API's statement limit.
      const own = kind === 'postgres' && opts.statementTimeoutMs ? new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: opts.databaseUrl!, max: 1 }) }) }) : null;
      const migrator = new Migrator({ db: own ?? db, provider: migrationProvider });
      const { error, results } = await migrator.migrateToLatest().finally(() => own?.destroy());
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName;
        throw new Error(`Migration ${failed ?? ''} failed: ${(error as Error).message ?? error}`, { cause: error });
      }
    },
    async isMigrated() {
      try {
        const r = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db);
        return r.rows[0]?.name === latestMigration;
      } catch {
        return false;
      }
    },
    async close() {
      await db.destroy();
    },
    async dump() {
      if (!embedded) throw new Error('only an embedded database can be dumped');
      return embedded.dump();
    },
  };
}
