import { randomBytes } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';
import { publicUrl, type Config } from './config.js';
import { createContainer, type Container } from './container.js';
import { lockDataDir, writeAdminEndpoint } from './data-dir.js';
import { buildApp } from './http/app.js';
import { startWorkers } from './workers.js';
import type { App } from './http/types.js';

export interface RunningServer {
  app: App;
  container: Container;
  url: string;
  stop(): Promise<void>;
}

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
    // Keys, secrets and transcript text never reach the log: bodies are not logged, and headers that
    // could carry credentials are removed if anything ever logs them.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.key', '*.secret', '*.token'], remove: true },
    serializers: {
      // Fastify's own request serializer, with the URL redacted: a share link's token is the only
      // credential for its page, and it travels in the path.
      req: (req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}

/** A URL as it may be logged: share tokens (`/shared/{token}`) are replaced. */
export function redactUrl(url: string): string {
  return url.replace(/\/shared\/[^/?#]+/g, '/shared/[redacted]');
}

/** Starts the HTTP server (and, by default, the in-process workers) on the configured database. */
export async function startServer(config: Config, opts: { print?: (line: string) => void } = {}): Promise<RunningServer> {
  const print = opts.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const unlock = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  let container: Container;
  try {
    container = await createContainer(config);
  } catch (err) {
    unlock();
    throw err;
  }
  const adminToken = config.databaseUrl ? null : randomBytes(24).toString('base64url');
  const app = await buildApp(container, { logger: loggerOptions(config), adminToken });
  if (!container.secrets.sealing) {
    app.log.warn('COLLOQUY_SECRET_KEY is not set: webhook secrets and calendar tokens are stored unencrypted in PostgreSQL; set it (32+ characters) and restart to encrypt them');
  }
  const firstRun = config.demoUser ? await createDemoUserIfEmpty(container) : null;
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const removeAdmin = adminToken ? writeAdminEndpoint(config.dataDir, { url, token: adminToken, pid: process.pid }) : () => {};

  const base = config.publicUrl ?? publicUrl({ publicUrl: null, port });
  if (firstRun) {
    print('');
    print('Colloquy is ready. A demo user was created on this empty database:');
    print(`  email:   ${firstRun.email} (professional tier)`);
    print(`  API key: ${firstRun.key}   <- shown once; keep it`);
    print(`  Dashboard: ${base}/`);
    print(`  API:       ${base}/api/v1   (docs: ${base}/docs)`);
    print(`  Try: curl -H "Authorization: Bearer ${firstRun.key}" ${base}/api/v1/user/profile`);
    print('');
  } else {
    print(`Colloquy listening on ${url} (dashboard ${base}/, docs ${base}/docs, database: ${container.database.kind})`);
  }

  // Workers start after the banner: pg-boss creates its schema on first start, which takes a few seconds.
  const stopWorkers = config.worker === 'inline' ? await startWorkers(container) : async () => {};

  let stopped = false;
  return {
    app,
    container,
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      removeAdmin();
      // Requests in flight finish; their keep-alive connections are closed as soon as they go idle
      // (Node closes only the connections idle when closing starts, and the rest would hold the
      // shutdown until the keep-alive timeout).
      const idle = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        await app.close();
      } finally {
        clearInterval(idle);
      }
      await stopWorkers();
      await container.close();
      unlock();
    },
  };
}

async function createDemoUserIfEmpty(c: Container): Promise<{ email: string; key: string } | null> {
  if ((await c.accounts.countUsers()) > 0) return null;
  const user = await c.accounts.createUser({ email: 'demo@colloquy.local', name: 'Demo User', tier: 'professional' });
  const key = await c.accounts.createKey(user.id, 'demo');
  return { email: user.email, key: key.key };
}
