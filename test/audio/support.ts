// Shared by the audio suites: fixtures, uploads, waiting for the job, reading the outbox.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestApp } from '../helpers/app.js';

export const AUDIO = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'audio');
export const audio = (name: string) => readFileSync(join(AUDIO, name));
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function form(files: Array<[string, Buffer]>, fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const [name, data] of files) f.append('file', new Blob([data]), name);
  return f;
}

export async function upload(t: TestApp, key: string, files: Array<[string, Buffer]>, fields: Record<string, string> = {}, query = '') {
  return t.request('POST', `/api/v1/conversations/import${query}`, { key, raw: form(files, { startTime: '2026-03-18T14:00:00.000Z', ...fields }) });
}

export async function waitFor(t: TestApp, key: string, id: string, statuses: string[] = ['completed', 'abandoned'], tries = 400) {
  for (let i = 0; i < tries; i++) {
    const r = await t.request('GET', `/api/v1/conversations/${id}`, { key });
    if (statuses.includes(r.body.data?.status)) return r.body.data;
    await sleep(100);
  }
  throw new Error(`conversation ${id} never became ${statuses.join(' or ')}`);
}

export async function subscribe(t: TestApp, userId: string, events = ['transcript.ready', 'transcript.failed', 'conversation.updated']) {
  await t.container.db
    .insertInto('webhooks')
    .values({ id: `wh_${userId}`, user_id: userId, url: 'https://hooks.example.com/x', events: JSON.stringify(events), secret: 'whsec_x' })
    .execute();
}

export async function outbox(t: TestApp, userId: string): Promise<Array<{ event: string; data: any }>> {
  const rows = await t.container.db.selectFrom('webhook_deliveries').select(['event', 'payload', 'created_at']).where('user_id', '=', userId).orderBy('created_at').execute();
  return rows.map((r) => JSON.parse(r.payload));
}

export async function transcript(t: TestApp, key: string, id: string): Promise<Array<{ speaker: string; text: string; timestamp: string }>> {
  const r = await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key });
  return r.body.data.segments;
}

/** Files left in the audio folder (uploads waiting, chunks). */
export function leftovers(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
