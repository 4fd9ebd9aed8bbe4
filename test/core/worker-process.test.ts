// `colloquy worker` as an operator runs it beside API servers on PostgreSQL: it starts, says so, and
// SIGTERM from a supervisor stops it cleanly, exit 0, twice on the same database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, childEnv, freePort, ROOT } from './processes.js';
import { freshDatabase, usingPostgres } from '../helpers/db.js';

async function runWorker(databaseUrl: string, dir: string): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  const env = { ...childEnv(dir, await freePort()), DATABASE_URL: databaseUrl };
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'colloquy.mjs'), 'worker'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  const deadline = Date.now() + 60_000;
  while (!/Colloquy worker running/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.match(out, /Colloquy worker running \(pid \d+\)/, err);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code, signal] = await exited;
  clearTimeout(timer);
  return { code, signal, out, err };
}

test('colloquy worker starts on PostgreSQL and SIGTERM stops it with exit 0', { skip: !usingPostgres && 'needs TEST_DATABASE_URL' }, async () => {
  assertBuilt();
  const db = await freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-worker-'));
  try {
    for (const round of [1, 2]) {
      const r = await runWorker(db.url!, dir);
      assert.equal(r.signal, null, `round ${round}: stopped cleanly, not killed by ${r.signal}\n${r.err}`);
      assert.equal(r.code, 0, `round ${round}: exit 0\n${r.err}`);
    }
  } finally {
    await db.database.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
