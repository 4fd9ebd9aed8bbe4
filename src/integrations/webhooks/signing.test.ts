import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  convoSignature,
  generateWebhookSecret,
  signedHeaders,
  standardSignature,
  verifyWebhook,
  WebhookVerificationError,
  type VerificationFailure,
} from './signing.js';
import { verifyWebhook as publicVerify } from './index.js';

// Published test vector of the Standard Webhooks specification.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const SECRET = generateWebhookSecret(() => Buffer.alloc(24, 7));
const NOW = Date.UTC(2026, 2, 19, 14, 30, 0);
const BODY = JSON.stringify({ event: 'webhook.test', data: { message: 'héllo' }, timestamp: new Date(NOW).toISOString() });

function rejects(fn: () => unknown, reason: VerificationFailure) {
  assert.throws(fn, (err: unknown) => err instanceof WebhookVerificationError && err.reason === reason);
}

test('generateWebhookSecret: whsec_ + base64 of 24 injected bytes', () => {
  const bytes = Buffer.from(Array.from({ length: 24 }, (_, i) => i));
  const secret = generateWebhookSecret(() => bytes);
  assert.equal(secret, 'whsec_' + bytes.toString('base64'));
  assert.equal(secret.length, 6 + 32);
  assert.match(generateWebhookSecret(), /^whsec_[A-Za-z0-9+/]{32}$/);
  assert.notEqual(generateWebhookSecret(), generateWebhookSecret());
  assert.throws(() => generateWebhookSecret(() => Buffer.alloc(8)), /expected 24/);
});

test('convoSignature is the seed example: hex HMAC keyed with the whole secret string', () => {
  const expected = createHmac('sha256', SECRET).update(BODY).digest('hex');
  const signature = convoSignature(SECRET, BODY);
  assert.equal(signature, expected);
  assert.match(signature, /^[0-9a-f]{64}$/);
  // Keyed with the string, not the decoded bytes: the two schemes must not be confused.
  assert.notEqual(signature, createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64')).update(BODY).digest('hex'));
  assert.equal(convoSignature(SECRET, Buffer.from(BODY)), expected);
});

test('standardSignature reproduces the Standard Webhooks reference vector', () => {
  assert.equal(standardSignature(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body), VECTOR.signature);
  assert.equal(standardSignature(VECTOR.secret, VECTOR.id, VECTOR.timestamp, Buffer.from(VECTOR.body)), VECTOR.signature);
  assert.notEqual(standardSignature(VECTOR.secret, VECTOR.id, VECTOR.timestamp + 1, VECTOR.body), VECTOR.signature);
});

test('verifyWebhook accepts the reference vector at its own time', () => {
  const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };
  const result = verifyWebhook(VECTOR.secret, headers, VECTOR.body, { nowMs: VECTOR.timestamp * 1000 });
  assert.deepEqual(result, { ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp, convo: false });
});

test('signedHeaders carries every header, all consistent with each other', () => {
  const h = signedHeaders({ secret: SECRET, eventType: 'webhook.test', msgId: 'msg_1', nowMs: NOW + 999, rawBody: BODY });
  assert.deepEqual(Object.keys(h).sort(), [
    'content-type', 'user-agent', 'webhook-id', 'webhook-signature', 'webhook-timestamp', 'x-convo-event', 'x-convo-signature',
  ]);
  assert.equal(h['content-type'], 'application/json');
  assert.equal(h['user-agent'], 'Colloquy-Webhooks/1');
  assert.equal(h['x-convo-event'], 'webhook.test');
  assert.equal(h['webhook-id'], 'msg_1');
  assert.equal(h['webhook-timestamp'], String(Math.floor(NOW / 1000)));
  assert.equal(h['x-convo-signature'], convoSignature(SECRET, BODY));
  assert.equal(h['webhook-signature'], standardSignature(SECRET, 'msg_1', Math.floor(NOW / 1000), BODY));
  assert.throws(() => signedHeaders({ secret: SECRET, eventType: 'x', msgId: 'a.b', nowMs: NOW, rawBody: BODY }), /invalid webhook message id/);
  assert.throws(() => signedHeaders({ secret: SECRET, eventType: 'x', msgId: 'a\nb', nowMs: NOW, rawBody: BODY }), /invalid webhook message id/);
});

test('verifyWebhook round-trips and reports the convo signature', () => {
  const h = signedHeaders({ secret: SECRET, eventType: 'webhook.test', msgId: 'msg_rt', nowMs: NOW, rawBody: BODY });
  assert.deepEqual(verifyWebhook(SECRET, h, BODY, { nowMs: NOW }), { ok: true, id: 'msg_rt', timestamp: Math.floor(NOW / 1000), convo: true });
  assert.equal(publicVerify(SECRET, h, Buffer.from(BODY), { nowMs: NOW }).ok, true);
});

test('verifyWebhook reads any header case and Headers instances', () => {
  const h = signedHeaders({ secret: SECRET, eventType: 'webhook.test', msgId: 'msg_case', nowMs: NOW, rawBody: BODY });
  const shouting = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]));
  assert.equal(verifyWebhook(SECRET, shouting, BODY, { nowMs: NOW }).convo, true);
  const webHeaders = new Headers(h);
  assert.equal(verifyWebhook(SECRET, webHeaders, BODY, { nowMs: NOW }).id, 'msg_case');
});

test('verifyWebhook rejects tampering, wrong secrets and missing headers', () => {
  const h = signedHeaders({ secret: SECRET, eventType: 'webhook.test', msgId: 'msg_bad', nowMs: NOW, rawBody: BODY });
  rejects(() => verifyWebhook(SECRET, h, BODY.replace('héllo', 'hello'), { nowMs: NOW }), 'no_matching_signature');
  rejects(() => verifyWebhook(generateWebhookSecret(() => Buffer.alloc(24, 8)), h, BODY, { nowMs: NOW }), 'no_matching_signature');
  rejects(() => verifyWebhook(SECRET, { ...h, 'webhook-id': 'msg_other' }, BODY, { nowMs: NOW }), 'no_matching_signature');
  rejects(() => verifyWebhook(SECRET, { ...h, 'webhook-signature': h['webhook-signature'].replace('v1,', 'v2,') }, BODY, { nowMs: NOW }), 'no_matching_signature');
  rejects(() => verifyWebhook(SECRET, { ...h, 'x-convo-signature': '0'.repeat(64) }, BODY, { nowMs: NOW }), 'convo_signature_mismatch');
  rejects(() => verifyWebhook(SECRET, { ...h, 'x-convo-signature': 'short' }, BODY, { nowMs: NOW }), 'convo_signature_mismatch');
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
    const partial: Record<string, string> = { ...h };
    delete partial[name];
    assert.throws(() => verifyWebhook(SECRET, partial, BODY, { nowMs: NOW }), new RegExp(`missing ${name}`));
  }
  rejects(() => verifyWebhook(SECRET, { ...h, 'webhook-timestamp': '12e3' }, BODY, { nowMs: NOW }), 'invalid_timestamp');
});

test('verifyWebhook enforces the timestamp tolerance in both directions', () => {
  const at = (offsetSeconds: number) => signedHeaders({ secret: SECRET, eventType: 'e', msgId: 'msg_t', nowMs: NOW + offsetSeconds * 1000, rawBody: BODY });
  assert.equal(verifyWebhook(SECRET, at(-300), BODY, { nowMs: NOW }).ok, true);
  assert.equal(verifyWebhook(SECRET, at(300), BODY, { nowMs: NOW }).ok, true);
  rejects(() => verifyWebhook(SECRET, at(-301), BODY, { nowMs: NOW }), 'timestamp_too_old');
  rejects(() => verifyWebhook(SECRET, at(301), BODY, { nowMs: NOW }), 'timestamp_too_new');
  rejects(() => verifyWebhook(SECRET, at(-61), BODY, { nowMs: NOW, toleranceSeconds: 60 }), 'timestamp_too_old');
});

test('verifyWebhook accepts any one of several space-separated signatures (secret rotation)', () => {
  const h = signedHeaders({ secret: SECRET, eventType: 'e', msgId: 'msg_rot', nowMs: NOW, rawBody: BODY });
  const old = standardSignature(generateWebhookSecret(() => Buffer.alloc(24, 1)), 'msg_rot', Math.floor(NOW / 1000), BODY);
  const { 'x-convo-signature': _drop, ...standardOnly } = h;
  const rotated = { ...standardOnly, 'webhook-signature': `v1a,ignored ${old} ${h['webhook-signature']}` };
  assert.deepEqual(verifyWebhook(SECRET, rotated, BODY, { nowMs: NOW }), { ok: true, id: 'msg_rot', timestamp: Math.floor(NOW / 1000), convo: false });
  rejects(() => verifyWebhook(SECRET, { ...rotated, 'webhook-signature': old }, BODY, { nowMs: NOW }), 'no_matching_signature');
});
