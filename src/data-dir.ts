import { mkdirSync, readFileSync, writeFileSync, rmSync, existsSync, chmodSync, linkSync, readdirSync, lstatSync } from 'node:fs';
import { join } from 'node:path';

// PGlite keeps its database in one process. The data folder holds a lock file naming the process that
// owns it, and (while a server runs) admin.json with the address and token of its local admin interface.

/**
 * Makes the data folder private to its owner: created 0700, and what an earlier version (or a
 * copy) left readable by others is tightened to 0700 folders and 0600 files. The database files
 * hold API key hashes, transcripts and (sealed) secrets. Returns how many entries it changed.
 */
export function secureDataDir(dataDir: string): number {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let changed = 0;
  const walk = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    const dir = st.isDirectory();
    if (st.mode & 0o077) {
      chmodSync(path, dir ? 0o700 : 0o600);
      changed++;
    }
    if (dir) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dataDir);
  return changed;
}

export interface AdminEndpoint {
  url: string;
  token: string;
  pid: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirLockedError extends Error {}

function ownerOf(path: string): number {
  try {
    return Number(readFileSync(path, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

/**
 * Takes the data folder for this process; a lock left by a dead process is taken over. The lock file
 * appears with its owner already written (hard-linked from a finished temporary file), so another
 * process starting at the same moment never reads an empty lock and mistakes it for a stale one.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'colloquy.lock');
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, String(process.pid), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, path);
        return () => {
          if (ownerOf(path) === process.pid) rmSync(path, { force: true });
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = ownerOf(path);
        if (owner && owner !== process.pid && alive(owner)) {
          throw new DataDirLockedError(`The data folder ${dataDir} is in use by process ${owner}`);
        }
        // Stale (its process is gone): remove it, unless someone else replaced it meanwhile.
        if (ownerOf(path) === owner) rmSync(path, { force: true });
      }
    }
    throw new DataDirLockedError(`Could not lock the data folder ${dataDir}`);
  } finally {
    rmSync(mine, { force: true });
  }
}

export function writeAdminEndpoint(dataDir: string, endpoint: AdminEndpoint): () => void {
  const path = join(dataDir, 'admin.json');
  writeFileSync(path, JSON.stringify(endpoint), { mode: 0o600 });
  chmodSync(path, 0o600);
  return () => {
    try {
      const cur = JSON.parse(readFileSync(path, 'utf8')) as AdminEndpoint;
      if (cur.pid === process.pid) rmSync(path);
    } catch {
      /* already gone */
    }
  };
}

/** The running server's admin endpoint, if one is recorded by a live process. */
export function readAdminEndpoint(dataDir: string): AdminEndpoint | null {
  const path = join(dataDir, 'admin.json');
  if (!existsSync(path)) return null;
  try {
    const e = JSON.parse(readFileSync(path, 'utf8')) as AdminEndpoint;
    return e.pid && alive(e.pid) ? e : null;
  } catch {
    return null;
  }
}
