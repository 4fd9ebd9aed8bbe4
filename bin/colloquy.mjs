#!/usr/bin/env node
// The admin CLI. It runs the compiled code that `npm install` builds (dist/).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/run.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('colloquy: the project is not built; run `npm install` (or `npm run build`) first\n');
  process.exit(2);
}
const { run } = await import(entry.href);
await run(process.argv.slice(2));
