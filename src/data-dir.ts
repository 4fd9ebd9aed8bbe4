import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync, rmSync, writeSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

// PGlite keeps its database in one process. The data folder holds a lock file naming the process that
// owns it, and (while a server runs) admin.json with the address and token of its local admin interface.

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

/** Takes the data folder for this process; a lock left by a dead process is taken over. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'colloquy.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (owner && owner !== process.pid && alive(owner)) {
        throw new DataDirLockedError(`The data folder ${dataDir} is in use by process ${owner}`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not lock the data folder ${dataDir}`);
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
