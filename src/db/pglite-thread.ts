// The embedded database's own thread: it owns the PGlite instance, whose statements run
// synchronously on the thread that owns it, and runs the main thread's statements one at a time.
// The HTTP server's thread then never waits for a statement, however slow; it only sends statements
// and receives their rows (see pglite-remote.ts).
import { workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { serializeError, type Op, type Reply } from './pglite-remote.js';

async function open(): Promise<PGlite> {
  const { dataDir, template } = workerData as { dataDir: string | null; template: string | null };
  const { PGlite } = await import('@electric-sql/pglite');
  // The extensions the migrations create (search indexes, migration 0008).
  const extensions = {
    btree_gin: (await import('@electric-sql/pglite/contrib/btree_gin')).btree_gin,
    pg_trgm: (await import('@electric-sql/pglite/contrib/pg_trgm')).pg_trgm,
  };
  // An in-memory database may start from a saved archive (tests: a migrated database, without
  // running initdb and every migration again).
  const loadDataDir = !dataDir && template ? new Blob([readFileSync(template)]) : undefined;
  const pg = dataDir ? new PGlite(join(dataDir, 'pgdata'), { extensions }) : new PGlite({ extensions, ...(loadDataDir ? { loadDataDir } : {}) });
  await pg.waitReady;
  return pg;
}

// Errors go back as data: a thrown error would cross the thread without its SQLSTATE or errno `code`.
async function run(pg: PGlite, op: Op): Promise<Reply> {
  try {
    if (op.op === 'query') return { ok: true, result: await pg.query(op.sql, op.params) };
    if (op.op === 'exec') return { ok: true, result: await pg.exec(op.sql) };
    if (op.op === 'close') await pg.close();
    if (op.op === 'dump') return { ok: true, result: new Uint8Array(await (await pg.dumpDataDir('none')).arrayBuffer()) };
    return { ok: true, result: null };
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}

// The thread counts as started once the database is open; a database that cannot open fails the start.
export default open().then((pg) => (op: Op) => run(pg, op));
