import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';

/**
 * Environment for a measuring server (benchmarks, evaluation): a fresh temporary data folder, no
 * demo user, silent logs, any free port, and an enterprise tier without an hourly limit — these
 * runs measure the request path, not the rate limiter's refusal. Remove the folder afterwards with
 * `removeMeasuringEnv`.
 */
export function measuringEnv(prefix: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ tiers: { enterprise: { requestsPerHour: 1_000_000_000 } } }));
  return {
    PORT: '0',
    COLLOQUY_DATA_DIR: join(dir, 'data'),
    COLLOQUY_CONFIG_FILE: configFile,
    COLLOQUY_DEMO_USER: 'false',
    LOG_LEVEL: 'silent',
  };
}

/** Deletes the temporary folder made by `measuringEnv` (config file and data folder). */
export function removeMeasuringEnv(env: Record<string, string>): void {
  rmSync(dirname(env.COLLOQUY_CONFIG_FILE), { recursive: true, force: true });
}

/**
 * Starts `node [nodeArgs] --import tsx ...args` and resolves with the JSON object it prints as its
 * first stdout line (stderr is inherited). Rejects if the child exits or fails before that.
 */
export function startChild<T = any>(args: string[], env: Record<string, string | undefined>, nodeArgs: string[] = []): Promise<{ child: ChildProcess; info: T }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const what = args.join(' ');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`${what} exited with ${code ?? signal} before it was ready`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      try {
        resolve({ child, info: JSON.parse(line) as T });
      } catch {
        child.kill('SIGTERM');
        reject(new Error(`${what} printed ${JSON.stringify(line)} instead of its JSON info line`));
      }
    });
  });
}

/** SIGTERM, then SIGKILL if the child has not exited within `timeoutMs`. */
export async function stopChild(child: ChildProcess, timeoutMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
  clearTimeout(timer);
  child.kill('SIGKILL');
}

/**
 * Creates an empty database named `${prefix}_<random>` on `baseUrl`'s server and returns its URL;
 * `drop()` removes it (`with (force)`, so leftover connections do not block it). Throws when the
 * server is unreachable or refuses. Keep each caller's prefix: leftovers are found by it.
 */
export async function temporaryDatabase(baseUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`invalid database name prefix ${prefix}`);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: baseUrl });
    try {
      await c.connect();
      await c.query(sql);
    } finally {
      await c.end().catch(() => {});
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
