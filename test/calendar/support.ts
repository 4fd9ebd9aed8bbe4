// Local stand-ins for the calendar servers (not a test file itself): an ICS feed host and a fake
// Google OAuth + Calendar API, both on 127.0.0.1, recording what they were asked.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'calendar');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface LocalServer {
  url: string;
  /** Requests per path (query string excluded). */
  hits: Map<string, number>;
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startLocalServer(routes: Record<string, Handler> = {}): Promise<LocalServer> {
  const table = new Map(Object.entries(routes));
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const handler = table.get(path);
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      handler(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    route: (path, handler) => table.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const serveIcs =
  (text: string): Handler =>
  (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' }).end(text);

/** A fixed clock the tests move by hand. */
export function manualClock(iso: string) {
  let now = new Date(iso);
  return {
    clock: () => new Date(now),
    set(isoOrDate: string | Date) {
      now = new Date(isoOrDate);
    },
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}
