import { mkdir } from 'node:fs/promises';
import { completeAudioImport } from '../domain/conversations/audio-import.js';
import { jobCatalog } from './catalog.js';
import type { WorkerStarter } from '../workers.js';

/** Consumes `transcript.audio`, enqueued by an audio upload to `POST /conversations/import`. */
export const startAudioWorker: WorkerStarter = async (container) => {
  await mkdir(container.audioDir, { recursive: true, mode: 0o700 });
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
