// End to end: build a payload, sign it, deliver it over real HTTP to a receiver on 127.0.0.1,
// and have the receiver verify it both with verifyWebhook and by recomputing the signatures
// independently (openssl when available, the Web Crypto API otherwise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildPayload, deliverOnce, generateWebhookSecret, parsePayload, signedHeaders, verifyWebhook, WebhookVerificationError } from './index.js';
import { guardedDispatcher } from '../net/ssrf.js';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function opensslConvo(secret: string, body: Buffer): string {
  // Same as: printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -r
  return execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret, '-r'], { input: body }).toString().split(' ')[0];
}

function opensslStandard(secret: string, id: string, ts: string, body: Buffer): string {
  const hexKey = Buffer.from(secret.replace(/^whsec_/, ''), 'base64').toString('hex');
  const mac = execFileSync('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${hexKey}`, '-binary'], {
    input: Buffer.concat([Buffer.from(`${id}.${ts}.`), body]),
  });
  return `v1,${mac.toString('base64')}`;
}

async function webCryptoHmac(key: Uint8Array, data: Uint8Array): Promise<Buffer> {
  const k = await globalThis.crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return Buffer.from(await globalThis.crypto.subtle.sign('HMAC', k, data));
}

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
  verdict: string;
}

async function startReceiver(secret: string, nowMs: () => number) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let verdict = 'ok';
      try {
        verifyWebhook(secret, req.headers, body, { nowMs: nowMs() });
      } catch (err) {
        verdict = err instanceof WebhookVerificationError ? err.reason : 'error';
      }
      received.push({ headers: req.headers, body, verdict });
      res.writeHead(verdict === 'ok' ? 200 : 400).end(verdict);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url, received, stop };
}

test('a signed delivery verifies at a real receiver, with both signatures recomputed independently', async () => {
  const secret = generateWebhookSecret();
  const sentAt = Date.UTC(2026, 2, 19, 14, 30, 0);
  let receiverNow = sentAt + 2_000;
  const receiver = await startReceiver(secret, () => receiverNow);
  const dispatcher = guardedDispatcher({ allowPrivate: true });
  try {
    const rawBody = buildPayload('conversation.keypoints.ready', { conversationId: 'sess_a1b2c3', title: 'Q1 Planning — Review ✓' }, sentAt);
    const headers = signedHeaders({ secret, eventType: 'conversation.keypoints.ready', msgId: 'msg_e2e1', nowMs: sentAt, rawBody });

    const result = await deliverOnce({ url: receiver.url, headers, body: rawBody, dispatcher });
    assert.equal(result.ok, true, result.error ?? undefined);
    assert.equal(result.responseSnippet, 'ok');

    const [got] = receiver.received;
    assert.equal(got.body.toString('utf8'), rawBody, 'the receiver got exactly the signed bytes');
    assert.equal(got.headers['x-convo-event'], 'conversation.keypoints.ready');
    assert.equal(got.headers['webhook-id'], 'msg_e2e1');
    assert.equal(got.headers['user-agent'], 'Colloquy-Webhooks/1');
    assert.deepEqual(parsePayload(got.body), {
      event: 'conversation.keypoints.ready',
      data: { conversationId: 'sess_a1b2c3', title: 'Q1 Planning — Review ✓' },
      timestamp: '2026-03-19T14:30:00.000Z',
    });

    const ts = got.headers['webhook-timestamp'] as string;
    assert.equal(ts, String(sentAt / 1000));
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    assert.equal(key.length, 24);
    const webConvo = (await webCryptoHmac(Buffer.from(secret), got.body)).toString('hex');
    const webStandard = 'v1,' + (await webCryptoHmac(key, Buffer.concat([Buffer.from(`msg_e2e1.${ts}.`), got.body]))).toString('base64');
    assert.equal(got.headers['x-convo-signature'], webConvo);
    assert.equal(got.headers['webhook-signature'], webStandard);
    if (hasOpenssl) {
      assert.equal(opensslConvo(secret, got.body), webConvo);
      assert.equal(opensslStandard(secret, 'msg_e2e1', ts, got.body), webStandard);
    }

    // The same signed request replayed ten minutes later is refused by the receiver.
    receiverNow = sentAt + 10 * 60_000;
    const replay = await deliverOnce({ url: receiver.url, headers, body: rawBody, dispatcher });
    assert.deepEqual([replay.ok, replay.statusCode, replay.responseSnippet], [false, 400, 'timestamp_too_old']);
  } finally {
    await dispatcher.close();
    await receiver.stop();
  }
});

test('the receiver rejects a tampered body, a wrong secret and a stale timestamp', async () => {
  const secret = generateWebhookSecret();
  const now = Date.UTC(2026, 2, 19, 15, 0, 0);
  const receiver = await startReceiver(secret, () => now);
  const dispatcher = guardedDispatcher({ allowPrivate: true });
  try {
    const rawBody = buildPayload('webhook.test', { message: 'Test event from Colloquy' }, now);
    const good = signedHeaders({ secret, eventType: 'webhook.test', msgId: 'msg_ok', nowMs: now, rawBody });
    const attempts: Array<[string, Record<string, string>, string]> = [
      ['ok', good, rawBody],
      ['no_matching_signature', good, rawBody.replace('Test event', 'Fake event')],
      ['no_matching_signature', signedHeaders({ secret: generateWebhookSecret(), eventType: 'webhook.test', msgId: 'msg_ok', nowMs: now, rawBody }), rawBody],
      ['timestamp_too_old', signedHeaders({ secret, eventType: 'webhook.test', msgId: 'msg_ok', nowMs: now - 301_000, rawBody }), rawBody],
      ['convo_signature_mismatch', { ...good, 'x-convo-signature': signedHeaders({ secret, eventType: 'x', msgId: 'm', nowMs: now, rawBody: '{}' })['x-convo-signature'] }, rawBody],
    ];
    for (const [expected, headers, body] of attempts) {
      const result = await deliverOnce({ url: receiver.url, headers, body, dispatcher });
      assert.equal(result.responseSnippet, expected);
      assert.equal(result.ok, expected === 'ok');
    }
    assert.deepEqual(receiver.received.map((r) => r.verdict), attempts.map(([e]) => e));
  } finally {
    await dispatcher.close();
    await receiver.stop();
  }
});
