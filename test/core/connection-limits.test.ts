// Slow and greedy clients on a real listener: a request trickled a few bytes at a time is cut off
// at the request deadline, and one address cannot hold more than its share of connections.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';

const REQUEST_TIMEOUT_MS = 1000;
const PER_IP = 5;

interface Client {
  socket: Socket;
  /** Everything the server sent. */
  received(): string;
  closed: Promise<void>;
}

async function open(url: string): Promise<Client> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let data = '';
  socket.on('data', (c) => (data += c.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`request deadlines and connections per address (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;
  before(async () => {
    t = await startTestApp({ env: { COLLOQUY_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), COLLOQUY_MAX_CONNECTIONS_PER_IP: String(PER_IP) } });
    key = (await t.user()).key;
  });
  after(async () => t?.close());

  test('a body trickled 4 bytes at a time is answered 408 in the error envelope, long before it would have finished', async () => {
    const body = JSON.stringify({ content: 'User: hello there, this body arrives very slowly indeed. Assistant: hi!' }).padEnd(200, ' ');
    const c = await open(t.url);
    c.socket.write(`POST /api/v1/conversations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    let sent = 0;
    let closed = false;
    void c.closed.then(() => (closed = true));
    // 50 writes, 200 ms apart: ten deadlines' worth.
    while (sent < body.length && !closed) {
      c.socket.write(body.slice(sent, sent + 4));
      sent += 4;
      await sleep(REQUEST_TIMEOUT_MS / 5);
    }
    await c.closed;
    assert.ok(sent < body.length / 2, `the connection stayed open for ${sent} of ${body.length} bytes`);
    assert.match(c.received(), /^HTTP\/1\.1 408 /, JSON.stringify(c.received()));
    assert.deepEqual(JSON.parse(c.received().split('\r\n\r\n')[1]), { error: { code: 'request_timeout', message: 'The request did not arrive in time' } });
    // Nothing was created by the request that never arrived.
    // (On a connection of its own that closes, so that no socket is left counting against the limit.)
    const list = await open(t.url);
    list.socket.write(`GET /api/v1/conversations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n`);
    await list.closed;
    assert.match(list.received(), /^HTTP\/1\.1 200 /);
    assert.deepEqual(JSON.parse(list.received().split('\r\n\r\n')[1]).data, []);
  });

  test(`an address holds at most ${PER_IP} connections; a closed one frees its place`, async () => {
    const clients: Client[] = [];
    for (let i = 0; i < PER_IP; i++) clients.push(await open(t.url));
    // The accepted ones are served (and kept alive).
    for (const c of clients) c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(300);
    for (const c of clients) assert.match(c.received(), /^HTTP\/1\.1 200 /);

    const extra = await open(t.url);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await extra.closed;
    assert.equal(extra.received(), '', 'the connection over the limit is closed unanswered');

    clients[0].socket.destroy();
    await clients[0].closed;
    await sleep(100);
    const next = await open(t.url);
    next.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await next.closed;
    assert.match(next.received(), /^HTTP\/1\.1 200 /);
    for (const c of clients) c.socket.destroy();
  });
});
