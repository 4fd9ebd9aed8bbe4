import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  if (!base) return { database: await migratedPglite(), url: null, drop: async () => {} };
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

/**
 * An in-memory PGlite with every migration applied. Creating a cluster (initdb) and migrating it
 * takes seconds; the first suite saves the result as an archive in the temporary folder, named by
 * the migrations' and PGlite's contents, and later suites (other processes too) start from it.
 */
async function migratedPglite(): Promise<Database> {
  const template = templatePath();
  if (existsSync(template)) {
    try {
      return await openDatabase({ dataDir: null, template });
    } catch {
      // An unreadable archive (a crash mid-write elsewhere): make a new one below.
    }
  }
  const database = await openDatabase({ dataDir: null });
  await database.migrate();
  const tmp = `${template}.${process.pid}`;
  writeFileSync(tmp, await database.dump());
  renameSync(tmp, template);
  return database;
}

let templateFile: string | null = null;
function templatePath(): string {
  if (templateFile) return templateFile;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const hash = createHash('sha256');
  const migrations = join(root, 'src', 'db', 'migrations');
  for (const f of readdirSync(migrations).sort()) hash.update(f).update(readFileSync(join(migrations, f)));
  hash.update(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  templateFile = join(tmpdir(), `colloquy-test-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  return templateFile;
}
