import type { WorkerStarter } from '../workers.js';

/** Consumes `insights.generate`, enqueued when a chat is completed. */
export const startInsightsWorker: WorkerStarter = async (container) => {
  await container.jobs.work('insights.generate', async (data) => {
    await container.analysis.insightsInBackground(data.userId, data.conversationId);
  });
  return async () => {};
};
