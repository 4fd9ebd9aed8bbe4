import { temporaryDatabase } from '../../scripts/bench-env.js';
import { openDatabase, type Database } from '../../src/db/database.js';

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);
export const dbLabel = usingPostgres ? 'postgres' : 'pglite';
/**
 * Skip reason for suites that start server processes on their own embedded data folder: they test
 * the same thing whether or not TEST_DATABASE_URL is set, so the PostgreSQL run leaves them to the
 * embedded one (CI runs both) instead of repeating minutes of identical work.
 */
export const embeddedOnly: string | false = usingPostgres && 'embedded data folder only; covered by the run without TEST_DATABASE_URL';

/**
 * A fresh, empty database for one suite: a new PostgreSQL database on TEST_DATABASE_URL's server
 * (dropped by `drop`), or an in-memory PGlite.
 */
export async function freshDatabase(opts: { statementTimeoutMs?: number } = {}): Promise<{ database: Database; url: string | null; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ dataDir: null });
    return { database, url: null, drop: async () => {} };
  }
  const temp = await temporaryDatabase(base, 'colloquy_t');
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: temp.url, poolSize: 20, statementTimeoutMs: opts.statementTimeoutMs });
  } catch (err) {
    await temp.drop().catch(() => {});
    throw err;
  }
  return { database, url: temp.url, drop: temp.drop };
}
