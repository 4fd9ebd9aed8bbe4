import type { Container } from './container.js';
import { startWebhookWorker } from './domain/webhooks/starter.js';
import { startInsightsWorker } from './jobs/insights-worker.js';
import { startImportWorker } from './jobs/import-worker.js';
import { startAudioWorker } from './jobs/audio-worker.js';
import { startMaintenance } from './jobs/maintenance.js';
import { startMentionsWorker } from './jobs/mentions-worker.js';
import { startAutoKeypointsWorker } from './jobs/auto-keypoints-worker.js';

/** A background loop started by the server (inline mode) or by `colloquy worker`; returns its stop function. */
export type WorkerStarter = (container: Container) => Promise<() => Promise<void>>;

// Each background feature adds its starter here.
const starters: WorkerStarter[] = [startInsightsWorker, startImportWorker, startAudioWorker, startMentionsWorker, startAutoKeypointsWorker, startMaintenance, startWebhookWorker];

export async function startWorkers(container: Container): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  for (const start of starters) stops.push(await start(container));
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
