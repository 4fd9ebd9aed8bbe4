import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);
export const dbLabel = usingPostgres ? 'postgres' : 'pglite';

/**
 * A fresh, empty database for one suite: a new PostgreSQL database on TEST_DATABASE_URL's server
 * (dropped by `drop`), or an in-memory PGlite.
 */
export async function freshDatabase(): Promise<{ database: Database; url: string | null; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ dataDir: null });
    return { database, url: null, drop: async () => {} };
  }
  const name = `colloquy_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  return {
    database,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
