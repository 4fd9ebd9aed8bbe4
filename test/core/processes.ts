// Child-process helpers for the CLI and server-start suites: the compiled CLI (bin/colloquy.mjs) and
// server (dist/src/main.js), as `npx colloquy` and `npm start` run them, on a temporary data folder.
// Compiled, not through tsx: tsx compiles every module again in every child, which made each CLI call
// take many seconds on a loaded machine. scripts/test.mjs rebuilds a stale dist/ before the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleBuild } from '../../scripts/build-status.mjs';
import { sleep } from './support.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'bin', 'colloquy.mjs');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

let checked = false;
/** Refuses to test old code: the children run dist/, which must reflect src/. */
export function assertBuilt(): void {
  if (checked) return;
  const stale = staleBuild(ROOT);
  if (stale) throw new Error(`dist/ is out of date (${stale}): run \`npm run build\`, or run the tests with \`npm test\`, which builds it`);
  checked = true;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/** The environment for a child on `dataDir`: embedded database, silent logs, nothing inherited that could redirect it. */
export function childEnv(dataDir: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('COLLOQUY_') || k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k === 'LOG_LEVEL' || k.startsWith('NODE_TEST')) continue;
    env[k] = v;
  }
  return { ...env, COLLOQUY_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', COLLOQUY_CONFIG_FILE: '', ...extra };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The last non-empty stdout line, parsed as JSON when it is JSON. */
  json: any;
}

/** Runs `colloquy <args>` to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<RunResult> {
  assertBuilt();
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`colloquy ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let json: any = null;
      try {
        json = JSON.parse(last);
      } catch {
        /* not JSON */
      }
      res({ code, stdout, stderr, json });
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/**
 * Starts the compiled server (or `command`, e.g. `npm start`) and waits until /healthz answers and
 * the startup lines are printed.
 */
export async function startServerProcess(env: NodeJS.ProcessEnv, timeoutMs = 120_000, command: [string, string[]] = [process.execPath, [MAIN]]): Promise<ServerProcess> {
  assertBuilt();
  const child = spawn(command[0], command[1], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res((exitCode = code))));
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`server exited with ${exitCode}\n${out}\n${err}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy\n${out}\n${err}`);
    }
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok && /Colloquy/.test(out)) break;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      if (exitCode === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs the compiled server expecting it to exit on its own (e.g. refusing to start). */
export function runServerExpectingExit(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<RunResult> {
  assertBuilt();
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`the second server kept running\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr, json: null });
    });
  });
}

export async function api(url: string, key: string | null, path: string, init: { method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, text, headers: res.headers };
}
