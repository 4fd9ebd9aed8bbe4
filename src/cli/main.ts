import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { DataDirLockedError } from '../data-dir.js';
import { AppError } from '../domain/errors.js';
import type { AdminOps } from '../domain/admin-operations.js';
import { openOps } from './transport.js';

interface Out {
  json: boolean;
}

/** Prints a result: human lines, or with --json one JSON object as the last line of stdout. */
function emit(out: Out, value: Record<string, unknown>, human: string[]) {
  if (out.json) process.stdout.write(JSON.stringify(value) + '\n');
  else for (const line of human) process.stdout.write(line + '\n');
}

async function withOps<T>(fn: (ops: AdminOps) => Promise<T>): Promise<T> {
  const session = await openOps(loadConfig());
  try {
    return await fn(session.ops);
  } finally {
    await session.close();
  }
}

export function buildCli(): Command {
  const program = new Command('colloquy')
    .description('Colloquy: conversation-intelligence server and admin tool')
    .option('--json', 'print the result as one JSON object on the last line of stdout')
    .showHelpAfterError()
    .exitOverride();
  const out = (): Out => ({ json: Boolean(program.opts().json) });

  program
    .command('serve')
    .description('run the HTTP server, dashboard and worker (same as npm start)')
    .action(async () => {
      await import('../main.js');
    });

  program
    .command('worker')
    .description('run only the background workers (jobs, webhook delivery); for PostgreSQL deployments with separate worker processes')
    .action(async () => {
      const { runWorkerProcess } = await import('./worker.js');
      await runWorkerProcess();
    });

  const users = program.command('users').description('manage users');
  users
    .command('create')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .option('--tier <tier>', 'free | starter | professional | enterprise', 'starter')
    .option('--timezone <zone>', 'IANA time zone relative dates in conversations are read in, e.g. Europe/Berlin (default UTC)')
    .option('--json', 'JSON output')
    .action(async (o: { email: string; name: string; tier: string; timezone?: string; json?: boolean }) => {
      const u = await withOps((ops) => ops.createUser({ email: o.email, name: o.name, tier: o.tier, ...(o.timezone !== undefined ? { timezone: o.timezone } : {}) }));
      emit({ json: out().json || !!o.json }, u, [`Created user ${u.email} (${u.tier}), id ${u.id}, time zone ${u.timezone}`]);
    });

  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create')
    .requiredOption('--email <email>')
    .option('--name <label>')
    .option('--json', 'JSON output')
    .action(async (o: { email: string; name?: string; json?: boolean }) => {
      const k = await withOps((ops) => ops.createKey(o));
      emit({ json: out().json || !!o.json }, { key: k.key, id: k.id }, [`API key for ${o.email} (shown once, keep it):`, k.key, `id: ${k.id}`]);
    });
  keys
    .command('revoke')
    .argument('<id>', 'key id (key_…)')
    .option('--json', 'JSON output')
    .action(async (id: string, o: { json?: boolean }) => {
      const r = await withOps((ops) => ops.revokeKey({ id }));
      emit({ json: out().json || !!o.json }, r, [`Revoked ${r.id}`]);
    });

  program
    .command('import')
    .description('import a transcript file (VTT, SRT, JSON, TXT) for a user')
    .argument('<file>')
    .requiredOption('--email <email>')
    .option('--title <title>')
    .option('--start-time <iso>', 'when the recording started (ISO 8601)')
    .option('--json', 'JSON output')
    .action(async (file: string, o: { email: string; title?: string; startTime?: string; json?: boolean }) => {
      const data = readFileSync(file);
      const r = await withOps((ops) => ops.importFile({ email: o.email, filename: basename(file), data, title: o.title, startTime: o.startTime }));
      emit({ json: out().json || !!o.json }, r, [`Imported ${r.segmentCount} segments as ${r.id} (“${r.title}”)`]);
    });

  const calendar = program.command('calendar').description("manage users' calendar sources");
  calendar
    .command('set')
    .description("connect a user's calendar as an iCalendar (ICS) feed URL, e.g. Google's secret address in iCal format")
    .requiredOption('--email <email>')
    .requiredOption('--ics <url>', 'https:// (or webcal://) address of the feed')
    .option('--json', 'JSON output')
    .action(async (o: { email: string; ics: string; json?: boolean }) => {
      const r = await withOps((ops) => ops.calendarSet({ email: o.email, ics: o.ics }));
      emit({ json: out().json || !!o.json }, { email: o.email, ...r }, [`Connected the calendar of ${o.email} (ICS feed)`]);
    });

  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildCli();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const message = err instanceof AppError || err instanceof ConfigError || err instanceof DataDirLockedError ? err.message : String((err as Error)?.stack ?? err);
    const details = err instanceof AppError && err.details && Object.keys(err.details).length ? err.details : null;
    // The message alone ("Invalid user") does not say what to change: name each field as its option.
    const lines = details ? Object.entries(details).map(([field, problem]) => `  ${optionName(field)}: ${problem}`) : [];
    process.stderr.write([`colloquy: ${message}`, ...lines].join('\n') + '\n');
    if (json) {
      const code = err instanceof AppError ? err.code : 'error';
      process.stdout.write(JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } }) + '\n');
    }
    return 1;
  }
}

/** `startTime` → `--start-time`: a field of the operation as the option that sets it. */
function optionName(field: string): string {
  return /^[a-z][A-Za-z]*$/.test(field) ? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : field;
}
