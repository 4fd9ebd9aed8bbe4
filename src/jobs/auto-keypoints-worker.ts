import type { WorkerStarter } from '../workers.js';

/** Consumes `keypoints.auto`, enqueued when a conversation of a user who analyses automatically gets its transcript. */
export const startAutoKeypointsWorker: WorkerStarter = async (container) => {
  await container.jobs.work('keypoints.auto', async (data) => {
    await container.autoAnalysis.run(data);
  });
  return async () => {};
};
