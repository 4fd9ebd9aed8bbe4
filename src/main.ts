import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './data-dir.js';
import { startServer } from './server.js';

async function main() {
  const config = loadConfig();
  const server = await startServer(config);
  const shutdown = async (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`colloquy: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`colloquy: failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
