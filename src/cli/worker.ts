import { loadConfig } from '../config.js';
import { createContainer } from '../container.js';
import { startWorkers } from '../workers.js';

/** `colloquy worker`: background work only. With PGlite the server runs its workers itself. */
export async function runWorkerProcess(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    throw new Error('colloquy worker needs DATABASE_URL (PostgreSQL); with the embedded database the server runs the worker itself');
  }
  const container = await createContainer(config);
  const stop = await startWorkers(container);
  process.stdout.write(`Colloquy worker running (pid ${process.pid})\n`);
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await stop();
  await container.close();
}
