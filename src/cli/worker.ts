import { loadConfig } from '../config.js';
import { createContainer } from '../container.js';
import { startWorkers } from '../workers.js';

/** `colloquy worker`: background work only. With PGlite the server runs its workers itself. */
export async function runWorkerProcess(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    throw new Error('colloquy worker needs DATABASE_URL (PostgreSQL); with the embedded database the server runs the worker itself');
  }
  // Listening for the signals before starting: one that arrives while the worker starts stops it
  // once it has started, instead of killing it mid-start.
  const signalled = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const container = await createContainer(config);
  const stop = await startWorkers(container);
  process.stdout.write(`Colloquy worker running (pid ${process.pid})\n`);
  await signalled;
  await stop();
  await container.close();
}
