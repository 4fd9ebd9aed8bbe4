#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's own test runner (through tsx).
// Usage: node scripts/test.mjs [substring filter ...]
// The CLI and server-start suites spawn the compiled dist/ (as `npm start` and bin/colloquy.mjs
// do); a dist/ older than src/ is rebuilt first, once, rather than by each suite in parallel.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import { staleBuild } from './build-status.mjs';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
let files = ['src', 'test'].flatMap((d) => walk(d)).sort();
if (filters.length) files = files.filter((f) => filters.some((s) => f.includes(s)));
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// CI's second run (TEST_DATABASE_ONLY, against PostgreSQL) repeats only the suites that use a
// database: a file (or a local test helper it imports, at any depth) that opens one or starts the app. Unit tests give
// the same result on any database and ran in the first, embedded run.
if (process.env.TEST_DATABASE_ONLY) {
  const USES_DB = /helpers\/(?:app|db)\.js|startHarness|freshDatabase|openDatabase|TEST_DATABASE_URL|usingPostgres|embeddedOnly|processes\.js|webhooks\/helpers/;
  const seen = new Map();
  const usesDb = (file) => {
    if (seen.has(file)) return seen.get(file);
    seen.set(file, false); // an import cycle adds nothing
    const text = readFileSync(file, 'utf8');
    const result =
      USES_DB.test(text) ||
      [...text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].some(([, rel]) => {
        const dep = join(dirname(file), `${rel}.ts`);
        return dep.startsWith('test') && existsSync(dep) && usesDb(dep);
      });
    seen.set(file, result);
    return result;
  };
  const kept = files.filter((f) => usesDb(f));
  console.error(`TEST_DATABASE_ONLY: ${kept.length} of ${files.length} test files use a database; the other ${files.length - kept.length} ran in the embedded run`);
  files = kept;
}
const stale = staleBuild(root);
if (stale) {
  console.error(`dist/ is out of date (${stale}); compiling src/ first`);
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // tsc still emits on type errors (reported above, and by `npm run typecheck`); the tests run.
  if (tsc.status !== 0) console.error('compiling src/ reported errors; running the tests on what it emitted');
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
