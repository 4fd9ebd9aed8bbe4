import { completeImport } from '../domain/conversations/imports.js';
import type { WorkerStarter } from '../workers.js';

/** Consumes `transcript.import`, enqueued by `POST /conversations/import?async=true`. */
export const startImportWorker: WorkerStarter = async (container) => {
  await container.jobs.work('transcript.import', async (data) => {
    await completeImport(container.db, container.conversations, {
      conversationId: data.conversationId,
      userId: data.userId,
      startTime: data.startTime,
      file: { filename: data.filename, contentType: data.contentType, data: Buffer.from(data.dataBase64, 'base64') },
    });
  });
  return async () => {};
};
