import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from './types.js';

const RESERVED = /^\/(api|_admin|shared|docs|healthz|readyz|metrics)(\/|$)/;

/** Finds web/dist whether running from src/ (tsx) or dist/src/ (compiled). */
export function dashboardDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = resolve(dir, '..');
  }
  return null;
}

/** Serves the built dashboard at `/`, with index.html for client-side routes. */
export async function registerDashboard(app: App): Promise<void> {
  const root = dashboardDir();
  if (!root) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html').send('<!doctype html><title>Colloquy</title><p>Colloquy is running. The dashboard is not built: run <code>npm run build</code>. API docs: <a href="/docs">/docs</a></p>'),
    );
    return;
  }
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0];
    if (RESERVED.test(path) || /\.[a-z0-9]+$/i.test(path)) {
      // The API's own not-found answer (the handler set in error-handler.ts).
      return reply.callNotFound();
    }
    return reply.sendFile('index.html');
  });
}
