// The process suites run dist/; scripts/build-status.mjs decides whether dist/ reflects src/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staleBuild } from '../../scripts/build-status.mjs';

test('dist/ is stale when a source file is newer than its output or has none; tests and type files do not count', () => {
  const root = mkdtempSync(join(tmpdir(), 'colloquy-build-'));
  try {
    mkdirSync(join(root, 'src', 'cli'), { recursive: true });
    mkdirSync(join(root, 'dist', 'src', 'cli'), { recursive: true });
    const old = new Date(Date.now() - 60_000);
    const write = (path: string, at: Date) => {
      writeFileSync(join(root, path), '');
      utimesSync(join(root, path), at, at);
    };
    write('src/cli/run.ts', old);
    write('src/cli/run.test.ts', new Date());
    write('src/types.d.ts', new Date());
    assert.equal(staleBuild(root), 'dist/src/cli/run.js is missing');
    write('dist/src/cli/run.js', new Date());
    assert.equal(staleBuild(root), null);
    write('src/cli/run.ts', new Date(Date.now() + 60_000));
    assert.equal(staleBuild(root), 'dist/src/cli/run.js is older than src/cli/run.ts');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
