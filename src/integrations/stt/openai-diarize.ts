// OpenAI's diarizing transcription model (gpt-4o-transcribe-diarize), spoken to directly: the AI
// SDK asks every OpenAI transcription model for `verbose_json`, which this model refuses; it answers
// `diarized_json`, segments each labelled with a speaker. The request is OpenAI's multipart POST
// {baseURL}/audio/transcriptions, retried as the SDK retries (408, 409, 429, 5xx and unreachable
// servers, waiting what `Retry-After` asks, else 2 s, 4 s, …) and failing with the same readable
// errors.
import { setTimeout as delay } from 'node:timers/promises';
import { detectAudio, SNIFF_BYTES } from './formats.js';
import { errorMessageOf } from './reply.js';

export interface DiarizeRequest {
  baseURL: string;
  apiKey: string | null;
  modelId: string;
  maxRetries: number;
  signal: AbortSignal;
  fetch?: typeof globalThis.fetch;
}

/**
 * A failed attempt: an error status (`status`, with the provider's message), a reply that
 * is not a diarized transcription, or a server that could not be reached. Worth another try when
 * `retryable`, after `retryAfterMs` when the provider said.
 */
export class DiarizeFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'status' | 'malformed' | 'unreachable',
    readonly retryable: boolean,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export interface DiarizedReply {
  text: string;
  duration?: number;
  segments: Array<{ start: number; end: number; text: string; speaker?: string }>;
}

const INITIAL_DELAY_MS = 2000;

/** The provider's diarized reply (already checked to be one), or a DiarizeFailure. */
export async function transcribeDiarized(audio: Uint8Array, o: DiarizeRequest): Promise<DiarizedReply> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptOnce(audio, o);
    } catch (err) {
      if (!(err instanceof DiarizeFailure) || !err.retryable || attempt >= o.maxRetries || o.signal.aborted) throw err;
      const backoff = INITIAL_DELAY_MS * 2 ** attempt;
      await delay(err.retryAfterMs ?? backoff, undefined, { signal: o.signal });
    }
  }
}

async function attemptOnce(audio: Uint8Array, o: DiarizeRequest): Promise<DiarizedReply> {
  const detected = detectAudio(audio.subarray(0, SNIFF_BYTES));
  const form = new FormData();
  // OpenAI tells the format by the file name's extension.
  form.append('file', new Blob([audio], { type: detected?.mediaType ?? 'application/octet-stream' }), `audio.${extensionOf(detected?.format)}`);
  form.append('model', o.modelId);
  form.append('response_format', 'diarized_json');
  // Required for diarization of anything over 30 s; `auto` lets the server find the turns.
  form.append('chunking_strategy', 'auto');
  let response: Response;
  try {
    response = await (o.fetch ?? globalThis.fetch)(`${o.baseURL.replace(/\/+$/, '')}/audio/transcriptions`, {
      method: 'POST',
      headers: o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {},
      body: form,
      signal: o.signal,
    });
  } catch (err) {
    if (o.signal.aborted) throw err;
    throw new DiarizeFailure(`Cannot connect to the speech-to-text provider: ${(err as Error).message}`, 'unreachable', true);
  }
  const text = await response.text();
  if (!response.ok) {
    const retryable = [408, 409, 429].includes(response.status) || response.status >= 500;
    throw new DiarizeFailure(errorMessageOf(text) ?? (response.statusText || text.slice(0, 300)), 'status', retryable, response.status, retryable ? retryAfterMs(response.headers) : null);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DiarizeFailure('not JSON', 'malformed', false);
  }
  if (!isDiarizedReply(body)) throw new DiarizeFailure('not a diarized transcription', 'malformed', false);
  return body;
}

function isDiarizedReply(b: any): b is DiarizedReply {
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  return (
    typeof b === 'object' &&
    b !== null &&
    typeof b.text === 'string' &&
    Array.isArray(b.segments) &&
    b.segments.every((s: any) => typeof s === 'object' && s !== null && num(s.start) && num(s.end) && typeof s.text === 'string' && (s.speaker === undefined || s.speaker === null || typeof s.speaker === 'string'))
  );
}

/** `retry-after-ms`, or `Retry-After` in seconds or as a date; as the AI SDK reads them (under a minute). */
export function retryAfterMs(headers: Headers): number | null {
  let ms: number | undefined;
  const exact = parseFloat(headers.get('retry-after-ms') ?? '');
  if (!Number.isNaN(exact)) ms = exact;
  const after = headers.get('retry-after');
  if (ms === undefined && after) {
    const seconds = parseFloat(after);
    ms = Number.isNaN(seconds) ? Date.parse(after) - Date.now() : seconds * 1000;
  }
  return ms !== undefined && !Number.isNaN(ms) && ms >= 0 && ms < 60_000 ? ms : null;
}

function extensionOf(format: string | undefined): string {
  if (!format) return 'bin';
  return format === 'opus' ? 'ogg' : format;
}
