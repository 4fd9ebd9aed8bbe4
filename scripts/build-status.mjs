// Whether dist/ (what `npm install` builds and `npm start`, bin/colloquy.mjs and the process tests
// run) reflects src/. Used by scripts/test.mjs, which rebuilds a stale dist/ before the tests, and by
// the test helpers that spawn dist/, which refuse to run old code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function sources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'testing') sources(p, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Why dist/ is not up to date with src/ (the first file found), or null when it is. */
export function staleBuild(root) {
  for (const src of sources(join(root, 'src'))) {
    const built = join(root, 'dist', relative(root, src)).replace(/\.ts$/, '.js');
    if (!existsSync(built)) return `${relative(root, built)} is missing`;
    if (statSync(built).mtimeMs < statSync(src).mtimeMs) return `${relative(root, built)} is older than ${relative(root, src)}`;
  }
  return null;
}
