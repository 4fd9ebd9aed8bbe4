// Picks the speech-to-text provider from configuration: one switch returning an AI SDK
// transcription model, wrapped so the rest of the server sees timed, optionally speaker-labelled
// segments. Self-hosted Whisper servers (speaches, whisper.cpp's server, LocalAI, vLLM) speak
// OpenAI's /v1/audio/transcriptions and are reached through COLLOQUY_STT_BASE_URL.
import { createAssemblyAI } from '@ai-sdk/assemblyai';
import { createDeepgram } from '@ai-sdk/deepgram';
import { createElevenLabs } from '@ai-sdk/elevenlabs';
import { createOpenAI } from '@ai-sdk/openai';
import { experimental_transcribe as transcribe, type TranscriptionModel } from 'ai';
import type { SttConfig } from '../../config.js';
import { ConfigError } from '../../config.js';
import { DiarizeFailure, transcribeDiarized } from './openai-diarize.js';
import { errorMessageOf, segmentsFromReply, wordsFromReply, type TimedSegment } from './reply.js';

export interface SpeechToText {
  /** e.g. `openai:whisper-1`: stored with the conversation, never a key. */
  readonly name: string;
  /** Bytes one request may carry; larger recordings are split first. */
  readonly uploadLimitBytes: number;
  transcribe(audio: Uint8Array, opts: { signal?: AbortSignal }): Promise<Transcribed>;
}

export interface Transcribed {
  segments: TimedSegment[];
  /** Single words, when the provider times them: chunks are stitched word by word. */
  words: TimedSegment[] | null;
  durationSec: number | null;
}

export interface SttDeps {
  fetch?: typeof globalThis.fetch;
}

const MB = 1024 * 1024;

/**
 * What each provider needs and allows: default model, base URL, per-request upload limit. A request
 * holds its audio in memory (the AI SDK sends bytes), so providers that take files of gigabytes are
 * still sent at most 100 MB at a time; longer recordings are split.
 */
const providers = {
  openai: { model: 'whisper-1', baseUrl: null, limit: 25 * MB, keyRequired: true },
  'openai-compatible': { model: null, baseUrl: null, limit: 25 * MB, keyRequired: false },
  groq: { model: 'whisper-large-v3-turbo', baseUrl: 'https://api.groq.com/openai/v1', limit: 25 * MB, keyRequired: true },
  deepgram: { model: 'nova-3', baseUrl: null, limit: 100 * MB, keyRequired: true },
  assemblyai: { model: 'universal-3-5-pro', baseUrl: null, limit: 100 * MB, keyRequired: true },
  elevenlabs: { model: 'scribe_v1', baseUrl: null, limit: 100 * MB, keyRequired: true },
} as const;

export const sttSettings = 'COLLOQUY_STT_PROVIDER (openai, openai-compatible, groq, deepgram, assemblyai or elevenlabs), COLLOQUY_STT_MODEL, COLLOQUY_STT_BASE_URL and COLLOQUY_STT_API_KEY';

/** The configured provider, or null when none is (audio uploads are then refused). Throws ConfigError on missing settings. */
export function createSpeechToText(stt: SttConfig, deps: SttDeps = {}): SpeechToText | null {
  if (stt.provider === 'none') return null;
  const p = providers[stt.provider];
  const need = (value: string | null, variable: string) => {
    if (!value?.trim()) throw new ConfigError(`COLLOQUY_STT_PROVIDER=${stt.provider} needs ${variable}`);
    return value.trim();
  };
  const modelId = p.model ? (stt.model ?? p.model) : need(stt.model, 'COLLOQUY_STT_MODEL');
  const apiKey = p.keyRequired ? need(stt.apiKey, 'COLLOQUY_STT_API_KEY') : (stt.apiKey ?? 'none');
  const baseURL = stt.provider === 'openai-compatible' ? need(stt.baseUrl, 'COLLOQUY_STT_BASE_URL') : (stt.baseUrl ?? p.baseUrl ?? undefined);
  let model: TranscriptionModel;
  let providerOptions: Record<string, any> = {};
  // OpenAI's diarizing model answers only json, text or diarized_json; the SDK would ask for
  // verbose_json, so it is spoken to directly (openai-diarize.ts).
  const diarizing = (stt.provider === 'openai' || stt.provider === 'openai-compatible') && /diarize/i.test(modelId);
  if (stt.provider === 'deepgram') {
    // The AI SDK's Deepgram model already asks for diarization; utterances give speaker turns.
    // The SDK has no base URL setting for Deepgram; a self-hosted Deepgram (or a test server) is
    // reached by rewriting the hosted API's origin.
    model = createDeepgram({ apiKey, fetch: baseURL ? rebase('https://api.deepgram.com', baseURL, deps.fetch) : deps.fetch }).transcription(modelId);
    providerOptions = { deepgram: { utterances: true, smartFormat: true, punctuate: true } };
  } else if (stt.provider === 'assemblyai') {
    // Upload, submit, then poll until done; speaker labels give diarized utterances.
    model = createAssemblyAI({ apiKey, fetch: baseURL ? rebase('https://api.assemblyai.com', baseURL, deps.fetch) : deps.fetch }).transcription(modelId);
    providerOptions = { assemblyai: { speakerLabels: true } };
  } else if (stt.provider === 'elevenlabs') {
    // Scribe diarizes on request and labels each word with its speaker_id; words are grouped into
    // speaker turns. `diarize` is given explicitly: with any option set, the SDK would otherwise
    // send its default (false) after its own `diarize=true`, and the last one counts.
    model = createElevenLabs({ apiKey, fetch: baseURL ? rebase('https://api.elevenlabs.io', baseURL, deps.fetch) : deps.fetch }).transcription(modelId);
    providerOptions = { elevenlabs: { diarize: true, timestampsGranularity: 'word', tagAudioEvents: false } };
  } else {
    model = createOpenAI({ apiKey, baseURL, fetch: deps.fetch, name: stt.provider }).transcription(modelId);
    // Any openai option makes the SDK ask for verbose_json (segment and word timestamps), except
    // from the gpt-4o transcription models, which answer plain json.
    providerOptions = { openai: /^gpt-(4o-(mini-)?)?transcribe/.test(modelId) ? {} : { timestampGranularities: ['word', 'segment'] } };
  }
  return {
    name: `${stt.provider}:${modelId}`,
    uploadLimitBytes: stt.uploadLimitBytes ?? p.limit,
    async transcribe(audio, opts) {
      const timeout = AbortSignal.timeout(stt.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
      try {
        if (diarizing) {
          const body = await transcribeDiarized(audio, { baseURL: baseURL ?? 'https://api.openai.com/v1', apiKey, modelId, maxRetries: stt.maxRetries, signal, fetch: deps.fetch });
          return { segments: segmentsFromReply(body, []), words: null, durationSec: typeof body.duration === 'number' ? body.duration : null };
        }
        const r = await transcribe({ model, audio, providerOptions, maxRetries: stt.maxRetries, abortSignal: signal });
        const body = (r.responses.at(-1) as { body?: unknown } | undefined)?.body;
        const units = stt.provider === 'assemblyai' ? 'ms' : 's';
        return { segments: segmentsFromReply(body, r.segments, units), words: wordsFromReply(body, units), durationSec: r.durationInSeconds ?? null };
      } catch (err) {
        if (timeout.aborted) throw new SttError(`The speech-to-text provider did not answer within ${Math.round(stt.timeoutMs / 1000)} s`);
        throw new SttError(describe(err), { cause: err });
      }
    },
  };
}

function rebase(origin: string, baseUrl: string, inner: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return inner(url.startsWith(origin) ? baseUrl + url.slice(origin.length) : input, init);
  };
}

/** A transcription that failed for a reason worth telling the user (no key or transcript text in it). */
export class SttError extends Error {}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; statusCode?: number; lastError?: unknown; reason?: string; responseBody?: string };
  if (e?.name === 'AI_RetryError' && e.lastError) return describe(e.lastError);
  if (err instanceof DiarizeFailure) {
    if (err.kind === 'malformed') return 'The speech-to-text provider sent a reply that is not a transcription';
    if (err.kind === 'status') return answered(err.status ?? undefined, err.message);
    return `Speech-to-text failed: ${err.message.slice(0, 300)}`;
  }
  if (e?.name === 'AI_APICallError' && (e.statusCode ?? 0) >= 200 && (e.statusCode ?? 0) < 300) return 'The speech-to-text provider sent a reply that is not a transcription';
  if (e?.name === 'AI_APICallError') return answered(e.statusCode, errorMessageOf(e.responseBody) ?? e.message ?? '');
  if (e?.name === 'AI_TypeValidationError' || e?.name === 'AI_JSONParseError') return 'The speech-to-text provider sent a reply that is not a transcription';
  if (e?.name === 'AI_NoTranscriptGeneratedError') return 'The speech-to-text provider returned no transcript';
  return `Speech-to-text failed: ${(e?.message ?? String(err)).slice(0, 300)}`;
}

const answered = (status: number | undefined, message: string) => `The speech-to-text provider answered ${status ?? 'with an error'}: ${message.slice(0, 300)}`;
