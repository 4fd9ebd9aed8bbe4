// Shared helpers for the core suites (not a test file itself).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';
import type { TestResponse } from '../helpers/app.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'transcripts');

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** A multipart body with one `file` part and optional text fields. */
export function uploadForm(filename: string, data: Buffer | string, fields: Record<string, string> = {}, type = 'application/octet-stream'): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type }), filename);
  return form;
}

export const DATA_TABLES = ['users', 'api_keys', 'conversations', 'segments', 'idempotency_keys', 'analyses', 'ai_usage', 'webhooks', 'webhook_deliveries', 'action_items'] as const;

/** Row counts of every data table (rate-limit buckets are bookkeeping, not data). */
export async function countRows(db: Kysely<DB>): Promise<Record<string, number>> {
  const parts = DATA_TABLES.map((t) => `(select count(*)::int from ${t}) as ${t}`).join(', ');
  const r = await sql<Record<string, number>>`${sql.raw(`select ${parts}`)}`.execute(db);
  return { ...r.rows[0] };
}

/**
 * A canonical dump of every data table, so "nothing was written" can be checked exactly. `last_used_at`
 * is left out: authenticating a key records its use, which is not a write by the request.
 */
export async function snapshot(db: Kysely<DB>): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const t of DATA_TABLES) {
    const r = await sql<{ j: unknown }>`${sql.raw(`select to_jsonb(x) - 'last_used_at' - 'search' as j from ${t} x`)}`.execute(db);
    out[t] = r.rows.map((row) => JSON.stringify(row.j)).sort();
  }
  return JSON.stringify(out);
}

/** Asserts the Convo error envelope: exactly `{ error: { code, message[, details] } }`. */
export function assertError(res: TestResponse, status: number, code: string, where = '') {
  assert.equal(res.status, status, `${where} expected ${status} ${code}, got ${res.status}: ${res.text.slice(0, 500)}`);
  assert.equal(typeof res.body, 'object', `${where} error body is JSON`);
  assert.deepEqual(Object.keys(res.body), ['error'], `${where} only an error key`);
  assert.equal(res.body.error.code, code, `${where} error code`);
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 0, `${where} error message is not empty`);
  for (const k of Object.keys(res.body.error)) assert.ok(['code', 'message', 'details'].includes(k), `${where} unexpected error key ${k}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
}

/** Asserts a 400 validation_error whose `details` names `field` (and returns the details). */
export function assertValidation(res: TestResponse, field: string | RegExp, where = ''): Record<string, string> {
  assertError(res, 400, 'validation_error', where);
  const details = res.body.error.details as Record<string, string> | undefined;
  assert.ok(details && typeof details === 'object', `${where} validation_error carries details: ${res.text}`);
  const keys = Object.keys(details);
  const hit = typeof field === 'string' ? keys.includes(field) : keys.some((k) => field.test(k));
  assert.ok(hit, `${where} details names ${field}; got ${JSON.stringify(details)}`);
  for (const v of Object.values(details)) assert.equal(typeof v, 'string');
  return details;
}

/** The usual successful envelope: `{ data }` (and `pagination` for lists). */
export function assertData<T = any>(res: TestResponse, status = 200, where = ''): T {
  assert.equal(res.status, status, `${where} expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  assert.ok(res.body && typeof res.body === 'object' && 'data' in res.body, `${where} wrapped in data: ${res.text.slice(0, 300)}`);
  assert.ok(!('error' in res.body), `${where} no error key`);
  return res.body.data as T;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `leaf` wrapped in `depth` levels of alternating objects and arrays. */
export function nested(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
}

/** JSON text of `leaf` under `depth` levels, written directly: JSON.stringify itself overflows the stack on deep values. */
export function nestedJson(depth: number, leafJson: string): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = depth - 1; i >= 0; i--) {
    open.push(i % 2 ? '[' : '{"k":');
    close.unshift(i % 2 ? ']' : '}');
  }
  return open.join('') + leafJson + close.join('');
}

/** A multipart body written byte for byte, so that file names and part headers arrive exactly as given. */
export function multipart(parts: Array<{ name: string; value: string; filename?: string; type?: string }>) {
  const boundary = 'colloquy-test-boundary';
  const chunks = parts.map((p) => {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n${p.value}\r\n`;
  });
  return { raw: Buffer.from(`${chunks.join('')}--${boundary}--\r\n`, 'utf8'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
