// A real HTTP receiver on 127.0.0.1 for webhook tests, and small waiting helpers.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { runWebhookWorker, type RunningWebhookWorker, type WebhookWorkerOverrides } from '../../src/domain/webhooks/starter.js';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: { event: string; data: Record<string, unknown>; timestamp: string };
  at: number;
}

/** Answers one request; return a status, or [status, headers]. Default: 200. */
export type Responder = (r: Received, nth: number) => number | [number, Record<string, string>] | Promise<number | [number, Record<string, string>]>;

export interface Receiver {
  base: string;
  url(path?: string): string;
  received: Received[];
  /** Requests per path (receipt order). */
  on(path: string): Received[];
  respond(path: string, responder: Responder): void;
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const responders = new Map<string, Responder>();
  const counts = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      let json: Received['json'];
      try {
        json = JSON.parse(text);
      } catch {
        json = { event: '', data: {}, timestamp: '' };
      }
      const path = (req.url ?? '/').split('?')[0];
      const r: Received = { path, headers: req.headers, body, text, json, at: Date.now() };
      received.push(r);
      const nth = (counts.get(path) ?? 0) + 1;
      counts.set(path, nth);
      const responder = responders.get(path);
      const answer = responder ? await responder(r, nth) : 200;
      const [status, headers] = Array.isArray(answer) ? answer : [answer, {}];
      if (!res.destroyed) res.writeHead(status, headers).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (path = '/hook') => base + path,
    received,
    on: (path) => received.filter((r) => r.path === path),
    respond: (path, responder) => void responders.set(path, responder),
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export async function waitFor<T>(probe: () => T | undefined | false | null | Promise<T | undefined | false | null>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WebhookHarness {
  t: TestApp;
  receiver: Receiver;
  worker: RunningWebhookWorker | null;
  close(): Promise<void>;
}

/** A test app that may deliver to 127.0.0.1, a receiver, and (unless `worker: false`) a running worker. */
export async function startHarness(
  opts: { env?: Record<string, string>; worker?: false | WebhookWorkerOverrides } = {},
): Promise<WebhookHarness> {
  const t = await startTestApp({ env: { COLLOQUY_WEBHOOKS_ALLOW_PRIVATE: 'true', ...opts.env } });
  const receiver = await startReceiver();
  const worker = opts.worker === false ? null : await runWebhookWorker(t.container, { listenUrl: t.databaseUrl, ...opts.worker });
  return {
    t,
    receiver,
    worker,
    async close() {
      await worker?.stop();
      await receiver.stop();
      await t.close();
    },
  };
}

/** Registers a webhook through the API and returns its id and secret. */
export async function register(t: TestApp, key: string, url: string, events: string[]): Promise<{ id: string; secret: string }> {
  const res = await t.request('POST', '/api/v1/webhooks', { key, body: { url, events } });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${res.text}`);
  return { id: res.body.data.id, secret: res.body.data.secret };
}
