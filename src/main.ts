import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './data-dir.js';
import { startServer, type RunningServer } from './server.js';

async function main() {
  const config = loadConfig();
  // The signal handlers come first: a SIGTERM that arrives while the server is still starting (it
  // may already answer /healthz) stops it cleanly once it has started, instead of killing the
  // process with the embedded database open.
  let starting: Promise<RunningServer> | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), config.http.shutdownGraceMs);
    force.unref();
    const server = await starting!.catch(() => null);
    if (!server) process.exit(1);
    server.app.log.info({ signal }, 'shutting down');
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  starting = startServer(config);
  await starting;
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`colloquy: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`colloquy: failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
