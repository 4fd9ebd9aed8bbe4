#!/usr/bin/env node
// Fails when `npm install` changed package-lock.json in a way that matters: a package added, removed
// or moved to another version or integrity. Entries that are optional platform builds (an `os` or
// `cpu` field, `optional: true`) are left out of the comparison: registries differ in which of them
// they serve, and npm records only the ones it was offered, so their presence is not drift.
//   node scripts/check-lockfile.mjs [committed-lockfile] [current-lockfile]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [committedPath, currentPath = 'package-lock.json'] = process.argv.slice(2);
const committed = JSON.parse(
  committedPath ? readFileSync(committedPath, 'utf8') : execFileSync('git', ['show', 'HEAD:package-lock.json'], { encoding: 'utf8', maxBuffer: 64 << 20 }),
);
const current = JSON.parse(readFileSync(currentPath, 'utf8'));

const platformBuild = (entry) => entry.optional === true && (Array.isArray(entry.os) || Array.isArray(entry.cpu));

function essential(lock) {
  const out = new Map();
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (platformBuild(entry)) continue;
    const { version, integrity, dependencies, optionalDependencies, peerDependencies, dev, optional } = entry;
    out.set(path, JSON.stringify({ version, integrity, dependencies, optionalDependencies, peerDependencies, dev, optional }));
  }
  return out;
}

const a = essential(committed);
const b = essential(current);
const drift = [];
for (const [path, v] of a) if (b.get(path) !== v) drift.push(b.has(path) ? `changed ${path}` : `removed ${path}`);
for (const path of b.keys()) if (!a.has(path)) drift.push(`added ${path}`);
if (drift.length) {
  console.error(`package-lock.json drifted from the committed lockfile (${drift.length} entries):`);
  for (const d of drift.slice(0, 40)) console.error(`  ${d}`);
  console.error('Commit a lockfile in sync with package.json (run `npm install` and commit package-lock.json).');
  process.exit(1);
}
console.log(`package-lock.json: ${a.size} packages as committed (optional platform builds not compared)`);
