import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from './data-dir.js';

test('the data folder lock: held with our pid, refused while its owner lives, taken over when it is gone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-lock-'));
  try {
    const release = lockDataDir(dir);
    const lock = join(dir, 'colloquy.lock');
    assert.equal(readFileSync(lock, 'utf8'), String(process.pid));
    assert.deepEqual(readdirSync(dir), ['colloquy.lock'], 'no temporary file is left behind');
    release();
    assert.equal(existsSync(lock), false);

    // A live owner (our parent) keeps it.
    writeFileSync(lock, String(process.ppid));
    assert.throws(() => lockDataDir(dir), (err) => err instanceof DataDirLockedError && err.message.includes(String(process.ppid)));
    assert.equal(readFileSync(lock, 'utf8'), String(process.ppid), 'a refused attempt leaves the lock alone');

    // A dead owner's lock, and an unreadable one, are taken over.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    for (const stale of [dead, '', 'garbage']) {
      writeFileSync(lock, stale);
      const again = lockDataDir(dir);
      assert.equal(readFileSync(lock, 'utf8'), String(process.pid), `took over a lock reading "${stale}"`);
      again();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
