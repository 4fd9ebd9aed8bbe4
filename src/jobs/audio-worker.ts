import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { completeAudioImport } from '../domain/conversations/audio-import.js';
import { jobCatalog } from './catalog.js';
import type { WorkerStarter } from '../workers.js';

/** Uploads older than this that no waiting job names were left by a request that never committed. */
const ORPHAN_AGE_MS = 6 * 3600_000;

/** Consumes `transcript.audio`, enqueued by an audio upload to `POST /conversations/import`. */
export const startAudioWorker: WorkerStarter = async (container) => {
  await mkdir(container.audioDir, { recursive: true, mode: 0o700 });
  await removeOrphans(container.db, container.audioDir, container.clock().getTime()).catch(() => {});
  await container.jobs.work('transcript.audio', async (data, meta) => {
    await completeAudioImport(
      {
        db: container.db,
        conversations: container.conversations,
        stt: container.stt,
        tools: container.audioTools,
        workDir: container.audioDir,
        concurrency: container.config.stt.concurrency,
      },
      data,
      { lastAttempt: meta.retryCount >= jobCatalog['transcript.audio'].retryLimit },
    );
  });
  return async () => {};
};

/**
 * Removes what a process killed mid-request or mid-job left in the audio folder: uploads no
 * waiting job will read (the request died before its transaction committed) and chunk folders.
 */
export async function removeOrphans(db: Kysely<DB>, dir: string, nowMs: number): Promise<string[]> {
  const rows = await sql<{ data: { tracks?: Array<{ path: string }> } }>`
    select data from pgboss.job where name = 'transcript.audio' and state in ('created', 'retry', 'active')`.execute(db);
  const waiting = new Set(rows.rows.flatMap((r) => (r.data.tracks ?? []).map((t) => t.path)));
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if (waiting.has(path) || !/^(upload-|chunks-)/.test(name)) continue;
    const s = await stat(path).catch(() => null);
    if (!s || nowMs - s.mtimeMs < ORPHAN_AGE_MS) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
