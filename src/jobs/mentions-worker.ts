import type { WorkerStarter } from '../workers.js';

/** Consumes `action_items.mentions`, enqueued when a conversation's key points are stored. */
export const startMentionsWorker: WorkerStarter = async (container) => {
  await container.jobs.work('action_items.mentions', async (data) => {
    await container.actionItems.linkMentions(data.userId, data.conversationId);
  });
  return async () => {};
};
