// clientGone over a real socket: a client that hangs up before the route asks is already gone
// (its 'close' fired earlier), and one that hangs up later aborts the signal when it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyReply } from 'fastify';
import { clientGone } from '../../src/http/client-gone.js';

async function hangUpOn(onRequest: (res: ServerResponse, closed: Promise<void>) => Promise<void>): Promise<void> {
  let done!: Promise<void>;
  const server = createServer((_req, res) => {
    const closed = new Promise<void>((r) => res.once('close', () => r()));
    done = onRequest(res, closed);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const req = request({ host: '127.0.0.1', port, method: 'GET', path: '/' });
  req.on('error', () => {});
  req.end();
  await new Promise((r) => setTimeout(r, 100));
  req.destroy();
  await new Promise((r) => setTimeout(r, 100));
  await done;
  await new Promise<void>((r) => server.close(() => r()));
}

test('a client that hung up before the route asked is already gone', async () => {
  let aborted: boolean | null = null;
  await hangUpOn(async (res, closed) => {
    await closed;
    aborted = clientGone({ raw: res } as unknown as FastifyReply).aborted;
  });
  assert.equal(aborted, true);
});

test('a client still connected is not gone until it hangs up', async () => {
  let before: boolean | null = null;
  let after: boolean | null = null;
  await hangUpOn(async (res, closed) => {
    const signal = clientGone({ raw: res } as unknown as FastifyReply);
    before = signal.aborted;
    await closed;
    after = signal.aborted;
  });
  assert.equal(before, false);
  assert.equal(after, true);
});
