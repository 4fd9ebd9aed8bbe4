// One HTTP attempt at delivering a webhook. It never throws: the caller (the outbox worker,
// the test endpoint) records every outcome as an attempt row and decides about retries.
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { BlockedDestinationError, blockedCause } from '../net/ssrf.js';

export const DELIVERY_TIMEOUT_MS = 10_000;
export const SNIPPET_BYTES = 1024;

export interface DeliverInput {
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  /** Budget for the whole attempt: connect, send, response headers and the snippet read. */
  timeoutMs?: number;
  /** Must be a guarded dispatcher; it is what enforces the SSRF policy at connect time. */
  dispatcher: Dispatcher;
  /** Wall clock (ms); used for latency and for Retry-After given as an HTTP date. */
  now?: () => number;
}

export interface DeliveryResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  retryAfterSeconds: number | null;
  error: string | null;
  responseSnippet: string | null;
  /** No answer within the deadline (what the endpoint circuit breaker counts). */
  timedOut?: boolean;
}

/** Seconds to wait from a Retry-After value, given as delta-seconds or as an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  // Date.parse accepts bare numbers like "-5" as years; an HTTP date always has a month name.
  if (!/[a-z]{3}/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Collects up to SNIPPET_BYTES into `into`, so whatever arrived survives a deadline abort. */
async function readSnippet(body: AsyncIterable<Buffer>, into: Buffer[]): Promise<void> {
  let size = 0;
  for await (const chunk of body) {
    into.push(chunk);
    size += chunk.length;
    // Stop reading instead of draining: a receiver streaming an endless body must not hold us.
    if (size >= SNIPPET_BYTES) break;
  }
}

function decodeSnippet(chunks: Buffer[]): string | null {
  const bytes = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES);
  if (bytes.length === 0) return null;
  // A multi-byte character cut at the limit decodes to U+FFFD rather than failing.
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function describeError(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  if (err instanceof BlockedDestinationError) return `blocked: ${err.reason}`;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return code && !err.message.includes(code) ? `${code}: ${err.message}${cause}` : `${err.message}${cause}`;
  }
  return String(err);
}

export async function deliverOnce({ url, headers, body, timeoutMs = DELIVERY_TIMEOUT_MS, dispatcher, now = Date.now }: DeliverInput): Promise<DeliveryResult> {
  const started = now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const latency = () => Math.max(0, now() - started);

  try {
    const response = await request(url, {
      method: 'POST',
      headers,
      body,
      dispatcher,
      signal: controller.signal,
      // The abort timer is the deadline; these only back it up, so they sit just past it.
      headersTimeout: timeoutMs + 1000,
      bodyTimeout: timeoutMs + 1000,
    });
    const latencyMs = latency();
    const { statusCode } = response;
    // Retry-After only means "come back later" on 429 and 503; elsewhere it is ignored.
    const retryAfterSeconds = statusCode === 429 || statusCode === 503 ? parseRetryAfter(response.headers['retry-after'], now()) : null;
    const chunks: Buffer[] = [];
    try {
      await readSnippet(response.body, chunks);
    } catch {
      // The status already decides the outcome; a body cut off by the deadline changes nothing.
    } finally {
      response.body.destroy();
    }
    const responseSnippet = decodeSnippet(chunks);
    const ok = statusCode >= 200 && statusCode < 300;
    let error: string | null = null;
    if (!ok) error = statusCode >= 300 && statusCode < 400 ? `HTTP ${statusCode} (redirects are not followed)` : `HTTP ${statusCode}`;
    return { ok, statusCode, latencyMs, retryAfterSeconds, error, responseSnippet };
  } catch (err) {
    const blocked = blockedCause(err);
    return {
      ok: false,
      statusCode: null,
      latencyMs: latency(),
      retryAfterSeconds: null,
      error: blocked ? describeError(blocked, false, timeoutMs) : describeError(err, timedOut, timeoutMs),
      responseSnippet: null,
      timedOut: !blocked && timedOut,
    };
  } finally {
    clearTimeout(timer);
  }
}
