import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliverOnce, parseRetryAfter } from './deliver.js';
import { guardedDispatcher } from '../net/ssrf.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function withServer(routes: Record<string, Handler>, fn: (base: string, hits: Map<string, number>) => Promise<void>) {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const handler = routes[path];
      if (!handler) return void res.writeHead(404).end();
      handler(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dispatcher = guardedDispatcher({ allowPrivate: true });
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits);
  } finally {
    await dispatcher.close().catch(() => undefined);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const headers = { 'content-type': 'application/json', 'x-convo-event': 'webhook.test' };
const body = '{"event":"webhook.test","data":{"message":"hi"},"timestamp":"2026-03-19T14:30:00.000Z"}';

test('deliverOnce reports 2xx, errors and statuses without throwing', async () => {
  const dispatcher = guardedDispatcher({ allowPrivate: true });
  let seenBody = '';
  let seenEvent: string | undefined;
  try {
    await withServer(
      {
        '/ok': (req, res, b) => {
          seenBody = b;
          seenEvent = req.headers['x-convo-event'] as string;
          res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
        },
        '/empty': (_req, res) => res.writeHead(204).end(),
        '/fail': (_req, res) => res.writeHead(500).end('boom'),
        '/gone': (_req, res) => res.writeHead(410).end(),
        '/busy': (_req, res) => res.writeHead(429, { 'retry-after': '120' }).end(),
        '/down': (_req, res) => res.writeHead(503, { 'retry-after': new Date(Date.UTC(2026, 0, 1, 0, 1, 30)).toUTCString() }).end(),
        '/odd-retry': (_req, res) => res.writeHead(500, { 'retry-after': '60' }).end(),
        '/big': (_req, res) => res.writeHead(200).end('é'.repeat(600) + 'x'.repeat(5000)),
      },
      async (base) => {
        const ok = await deliverOnce({ url: `${base}/ok`, headers, body, dispatcher });
        assert.equal(ok.ok, true);
        assert.equal(ok.statusCode, 200);
        assert.equal(ok.error, null);
        assert.equal(ok.responseSnippet, 'thanks');
        assert.equal(ok.retryAfterSeconds, null);
        assert.ok(ok.latencyMs >= 0 && ok.latencyMs < 5000);
        assert.equal(seenBody, body);
        assert.equal(seenEvent, 'webhook.test');

        assert.deepEqual({ ...(await deliverOnce({ url: `${base}/empty`, headers, body, dispatcher })), latencyMs: 0 }, {
          ok: true, statusCode: 204, latencyMs: 0, retryAfterSeconds: null, error: null, responseSnippet: null,
        });

        const fail = await deliverOnce({ url: `${base}/fail`, headers, body, dispatcher });
        assert.deepEqual([fail.ok, fail.statusCode, fail.error, fail.responseSnippet], [false, 500, 'HTTP 500', 'boom']);

        const gone = await deliverOnce({ url: `${base}/gone`, headers, body, dispatcher });
        assert.deepEqual([gone.ok, gone.statusCode], [false, 410]);

        const busy = await deliverOnce({ url: `${base}/busy`, headers, body, dispatcher });
        assert.deepEqual([busy.ok, busy.statusCode, busy.retryAfterSeconds], [false, 429, 120]);

        const down = await deliverOnce({ url: `${base}/down`, headers, body, dispatcher, now: () => Date.UTC(2026, 0, 1, 0, 0, 0) });
        assert.deepEqual([down.statusCode, down.retryAfterSeconds], [503, 90]);

        const odd = await deliverOnce({ url: `${base}/odd-retry`, headers, body, dispatcher });
        assert.equal(odd.retryAfterSeconds, null, 'Retry-After is only honoured on 429 and 503');

        const big = await deliverOnce({ url: `${base}/big`, headers, body, dispatcher });
        assert.equal(Buffer.byteLength(big.responseSnippet ?? ''), 1024, 'first 1 KB of 600 two-byte characters');
        assert.equal(big.responseSnippet, 'é'.repeat(512));
      },
    );
  } finally {
    await dispatcher.close();
  }
});

test('deliverOnce does not follow redirects', async () => {
  const dispatcher = guardedDispatcher({ allowPrivate: true });
  try {
    await withServer(
      {
        '/hop': (_req, res) => res.writeHead(302, { location: '/target' }).end(),
        '/target': (_req, res) => res.writeHead(200).end(),
      },
      async (base, hits) => {
        const result = await deliverOnce({ url: `${base}/hop`, headers, body, dispatcher });
        assert.equal(result.ok, false);
        assert.equal(result.statusCode, 302);
        assert.match(result.error ?? '', /redirects are not followed/);
        assert.equal(hits.get('/target'), undefined);
        assert.equal(hits.get('/hop'), 1);
      },
    );
  } finally {
    await dispatcher.close();
  }
});

test('deliverOnce gives up on a hanging receiver at the timeout', async () => {
  const dispatcher = guardedDispatcher({ allowPrivate: true });
  try {
    await withServer(
      {
        '/hang': () => undefined,
        '/slow-body': (_req, res) => {
          res.writeHead(200);
          res.write('partial');
        },
      },
      async (base) => {
        const started = Date.now();
        const hung = await deliverOnce({ url: `${base}/hang`, headers, body, dispatcher, timeoutMs: 200 });
        const elapsed = Date.now() - started;
        assert.equal(hung.ok, false);
        assert.equal(hung.statusCode, null);
        assert.equal(hung.error, 'timed out after 200 ms');
        assert.ok(elapsed >= 190 && elapsed < 2000, `took ${elapsed} ms`);
        assert.ok(hung.latencyMs >= 190);

        // Headers arrived in time, so the status counts; the body read is cut at the deadline.
        const slow = await deliverOnce({ url: `${base}/slow-body`, headers, body, dispatcher, timeoutMs: 200 });
        assert.deepEqual([slow.ok, slow.statusCode, slow.responseSnippet], [true, 200, 'partial']);
      },
    );
  } finally {
    await dispatcher.close();
  }
});

test('deliverOnce reports connection failures and SSRF blocks as errors', async () => {
  // A port that was just free: listen, note it, close, then deliver to it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));

  const open = guardedDispatcher({ allowPrivate: true });
  const strict = guardedDispatcher({ allowPrivate: false, lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
  try {
    const refused = await deliverOnce({ url: `http://127.0.0.1:${port}/`, headers, body, dispatcher: open });
    assert.equal(refused.ok, false);
    assert.equal(refused.statusCode, null);
    assert.match(refused.error ?? '', /ECONNREFUSED/);

    const blocked = await deliverOnce({ url: `https://hooks.example.com:${port}/`, headers, body, dispatcher: strict });
    assert.equal(blocked.ok, false);
    assert.match(blocked.error ?? '', /^blocked: hooks\.example\.com resolves to a loopback address 127\.0\.0\.1/);

    const bad = await deliverOnce({ url: 'not a url', headers, body, dispatcher: open });
    assert.equal(bad.ok, false);
    assert.ok(bad.error);
  } finally {
    await open.close();
    await strict.close();
  }
});

test('parseRetryAfter reads seconds and HTTP dates', () => {
  const now = Date.UTC(2026, 0, 1);
  assert.equal(parseRetryAfter('30', now), 30);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter(new Date(now + 61_500).toUTCString(), now), 61);
  assert.equal(parseRetryAfter(new Date(now - 10_000).toUTCString(), now), 0);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter('-5', now), null);
  assert.equal(parseRetryAfter(undefined, now), null);
  assert.equal(parseRetryAfter(['7', '9'], now), 7);
});
