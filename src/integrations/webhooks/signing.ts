// Signing and verification for outgoing webhooks. Every delivery carries two signatures:
// the Convo-compatible `X-Convo-Signature` (so clients written against the Convo docs keep
// working) and the Standard Webhooks trio, whose signed timestamp lets receivers reject replays.
import { createHmac, randomBytes as nodeRandomBytes, timingSafeEqual } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
export const USER_AGENT = 'Colloquy-Webhooks/1';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type RawBody = string | Uint8Array;

export function generateWebhookSecret(randomBytes: (size: number) => Uint8Array = nodeRandomBytes): string {
  const bytes = randomBytes(24);
  // A short buffer from an injected source would silently weaken every secret it makes.
  if (bytes.length !== 24) throw new Error(`randomBytes returned ${bytes.length} bytes, expected 24`);
  return SECRET_PREFIX + Buffer.from(bytes).toString('base64');
}

/** Hex HMAC-SHA256 of the raw body, keyed with the whole secret string (Convo's scheme). */
export function convoSignature(secret: string, rawBody: RawBody): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Standard Webhooks keys the HMAC with the decoded bytes after `whsec_`, not the string, so
 * off-the-shelf Standard Webhooks libraries verify our deliveries unchanged.
 */
export function standardSigningKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('webhook secret has no key material after the whsec_ prefix');
  return key;
}

export function standardSignature(secret: string, msgId: string, timestampSeconds: number, rawBody: RawBody): string {
  const mac = createHmac('sha256', standardSigningKey(secret))
    .update(`${msgId}.${timestampSeconds}.`)
    .update(rawBody)
    .digest('base64');
  return `v1,${mac}`;
}

export interface SignedHeaders {
  'content-type': 'application/json';
  'user-agent': string;
  'x-convo-signature': string;
  'x-convo-event': string;
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  [name: string]: string;
}

export function signedHeaders(input: { secret: string; eventType: string; msgId: string; nowMs: number; rawBody: RawBody }): SignedHeaders {
  const { secret, eventType, msgId, nowMs, rawBody } = input;
  // The id is joined into the signed content with '.' and sent as a header: a dot would make
  // `id.timestamp` ambiguous and a control character would break the header.
  if (!/^[A-Za-z0-9_:-]{1,256}$/.test(msgId)) throw new Error(`invalid webhook message id: ${JSON.stringify(msgId)}`);
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-convo-signature': convoSignature(secret, rawBody),
    'x-convo-event': eventType,
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardSignature(secret, msgId, timestamp, rawBody),
  };
}

export type VerificationFailure =
  | 'missing_header'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'no_matching_signature'
  | 'convo_signature_mismatch';

export class WebhookVerificationError extends Error {
  readonly reason: VerificationFailure;
  constructor(reason: VerificationFailure, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}

export type HeaderSource =
  | { get(name: string): string | null }
  | Record<string, string | readonly string[] | undefined>;

export interface VerifiedWebhook {
  ok: true;
  id: string;
  /** Seconds since the epoch, as signed by the sender. */
  timestamp: number;
  /** Whether an `x-convo-signature` header was present (and, since we got here, valid). */
  convo: boolean;
}

function readHeader(headers: HeaderSource, name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name);
  }
  const record = headers as Record<string, string | readonly string[] | undefined>;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== name) continue;
    const value = record[key];
    if (value === undefined) return null;
    // Repeated headers are joined the way a Headers instance would join them.
    return typeof value === 'string' ? value : value.join(', ');
  }
  return null;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // timingSafeEqual throws on unequal lengths; the length itself is not secret.
  return left.length === right.length && timingSafeEqual(left, right);
}

export function verifyWebhook(
  secret: string,
  headers: HeaderSource,
  rawBody: RawBody,
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, nowMs = Date.now() }: { toleranceSeconds?: number; nowMs?: number } = {},
): VerifiedWebhook {
  const id = readHeader(headers, 'webhook-id');
  const timestampHeader = readHeader(headers, 'webhook-timestamp');
  const signatureHeader = readHeader(headers, 'webhook-signature');
  for (const [name, value] of [['webhook-id', id], ['webhook-timestamp', timestampHeader], ['webhook-signature', signatureHeader]] as const) {
    if (!value) throw new WebhookVerificationError('missing_header', `missing ${name} header`);
  }

  const timestampText = (timestampHeader as string).trim();
  if (!/^\d{1,15}$/.test(timestampText)) {
    throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp is not a whole number of seconds');
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor(nowMs / 1000);
  // Checked both ways: a timestamp far in the future is as suspicious as a replayed old one.
  if (nowSeconds - timestamp > toleranceSeconds) {
    throw new WebhookVerificationError('timestamp_too_old', `webhook-timestamp is more than ${toleranceSeconds}s in the past`);
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    throw new WebhookVerificationError('timestamp_too_new', `webhook-timestamp is more than ${toleranceSeconds}s in the future`);
  }

  const expected = standardSignature(secret, id as string, timestamp, rawBody);
  // Several space-separated signatures let a sender rotate secrets without a gap;
  // every candidate is compared so the loop's duration does not reveal which matched.
  let matched = false;
  for (const candidate of (signatureHeader as string).split(' ')) {
    if (!candidate.startsWith('v1,')) continue;
    if (safeEqual(candidate, expected)) matched = true;
  }
  if (!matched) throw new WebhookVerificationError('no_matching_signature', 'no webhook-signature matches the body');

  const convoHeader = readHeader(headers, 'x-convo-signature');
  if (convoHeader !== null) {
    if (!safeEqual(convoHeader.trim().toLowerCase(), convoSignature(secret, rawBody))) {
      throw new WebhookVerificationError('convo_signature_mismatch', 'x-convo-signature does not match the body');
    }
  }
  return { ok: true, id: id as string, timestamp, convo: convoHeader !== null };
}
