// A PostgreSQL cluster of a suite's own, in a temporary folder on a free port, that the suite may stop
// and start (the shared server on TEST_DATABASE_URL must never be stopped: other suites use it).
// initdb refuses to run as root, so when the tests run as root the cluster belongs to `postgres`.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../core/processes.js';

const run = promisify(execFile);
const BIN = process.env.COLLOQUY_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

async function postgresUid(): Promise<{ uid: number; gid: number } | null> {
  try {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: g } = await run('id', ['-g', 'postgres']);
    return { uid: Number(stdout.trim()), gid: Number(g.trim()) };
  } catch {
    return null;
  }
}

/** Why a private cluster cannot be started here, or null when it can. */
export async function privatePostgresUnavailable(): Promise<string | null> {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl'))) return `no PostgreSQL server binaries in ${BIN}`;
  if (userInfo().uid === 0) {
    if (!(await postgresUid())) return 'running as root and there is no postgres user to own the cluster';
    if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) return 'running as root without runuser';
  }
  return null;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-pg-'));
  const owner = userInfo().uid === 0 ? await postgresUid() : null;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const as = (cmd: string, args: string[]) => (owner ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));
  const data = join(dir, 'data');
  const port = await freePort();
  await as(join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = async () => {
    await as(join(BIN, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  };
  await start();
  await run(join(BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'colloquy']);
  let destroyed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/colloquy`,
    port,
    start,
    // Immediate mode: connections are cut as in a crash, not drained.
    stop: async () => {
      await as(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await as(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
