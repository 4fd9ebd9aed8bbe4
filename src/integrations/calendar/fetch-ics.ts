// Downloads a user's iCalendar feed. The URL is the user's, so every hop goes through the SSRF
// guard: checked before each request and again by the dispatcher when it connects. Error messages
// name the host only — feed URLs often carry a secret (Google's "secret address in iCal format").
import { request } from 'undici';
import { AppError } from '../../domain/errors.js';
import { blockedCause, checkUrl, guardedDispatcher, type LookupFn } from '../net/ssrf.js';

export const ICS_TIMEOUT_MS = 10_000;
export const ICS_MAX_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export interface FetchIcsOptions {
  allowPrivate: boolean;
  lookup?: LookupFn;
  timeoutMs?: number;
  maxBytes?: number;
}

/** webcal:// is how calendar apps advertise subscription links; it means plain HTTPS. */
export function normalizeFeedUrl(raw: string): string {
  const url = raw.trim();
  return /^webcals?:\/\//i.test(url) ? url.replace(/^webcals?:\/\//i, 'https://') : url;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the calendar server';
  }
}

const upstream = (message: string) => new AppError('upstream_error', message);

async function readCapped(body: AsyncIterable<Buffer>, maxBytes: number, host: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw upstream(`The calendar feed at ${host} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The feed's text. 400 for a refused URL or a feed that is gone; 502 for the server failing. */
export async function fetchIcs(rawUrl: string, opts: FetchIcsOptions): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? ICS_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? ICS_MAX_BYTES;
  const dispatcher = guardedDispatcher({ allowPrivate: opts.allowPrivate, lookup: opts.lookup, connectTimeoutMs: timeoutMs });
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  let url = normalizeFeedUrl(rawUrl);
  try {
    for (let hop = 0; ; hop++) {
      await checkUrl(url, { allowPrivate: opts.allowPrivate, lookup: opts.lookup });
      const res = await request(url, {
        method: 'GET',
        dispatcher,
        signal: controller.signal,
        headers: { accept: 'text/calendar, text/plain;q=0.8, */*;q=0.5', 'user-agent': 'Colloquy-Calendar/1.0' },
        headersTimeout: timeoutMs + 1000,
        bodyTimeout: timeoutMs + 1000,
      });
      // The body is often dropped unread (redirects, errors, oversize); an abort then surfaces as
      // an 'error' event, which must not become an uncaught exception.
      res.body.on('error', () => {});
      const host = hostOf(url);
      if (res.statusCode >= 300 && res.statusCode < 400) {
        res.body.destroy();
        const location = res.headers.location;
        const next = Array.isArray(location) ? location[0] : location;
        if (!next) throw upstream(`The calendar feed at ${host} answered HTTP ${res.statusCode} without a Location`);
        if (hop >= MAX_REDIRECTS) throw upstream(`The calendar feed at ${host} redirected more than ${MAX_REDIRECTS} times`);
        url = new URL(next, url).toString();
        continue;
      }
      if ([401, 403, 404, 410].includes(res.statusCode)) {
        res.body.destroy();
        // The feed is gone or private now (e.g. its secret address was reset): the source needs
        // reconnecting, which no retry will fix.
        throw new AppError(
          'validation_error',
          `The calendar feed at ${host} answered HTTP ${res.statusCode}; its address may have been reset. Connect the calendar again with PUT /api/v1/calendar/source.`,
          { details: { calendar: `Feed answered HTTP ${res.statusCode}` } },
        );
      }
      if (res.statusCode !== 200) {
        res.body.destroy();
        throw upstream(`The calendar feed at ${host} answered HTTP ${res.statusCode}`);
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.body.destroy();
        throw upstream(`The calendar feed at ${host} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
      }
      try {
        const bytes = await readCapped(res.body, maxBytes, host);
        return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      } finally {
        res.body.destroy();
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const blocked = blockedCause(err);
    if (blocked) throw blocked;
    const host = hostOf(url);
    if (timedOut) throw upstream(`The calendar feed at ${host} did not answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`);
    const code = (err as NodeJS.ErrnoException)?.code;
    throw upstream(`The calendar feed at ${host} could not be fetched${code ? ` (${code})` : ''}`);
  } finally {
    clearTimeout(timer);
    await dispatcher.destroy().catch(() => {});
  }
}
