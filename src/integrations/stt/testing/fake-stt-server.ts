// Stand-ins on 127.0.0.1 for speech-to-text services, speaking their wire protocols: OpenAI's
// multipart POST /v1/audio/transcriptions (verbose_json with segments and words; also what
// speaches, whisper.cpp's server and LocalAI speak; diarized_json from a model named *diarize*), Deepgram's POST /v1/listen (raw audio in,
// diarized words and utterances out), AssemblyAI's three steps (POST /v2/upload, POST
// /v2/transcript, then GET /v2/transcript/{id} until it is completed) and ElevenLabs' multipart
// POST /v1/speech-to-text (words with a speaker_id when asked to diarize). The audio really is
// decoded and "heard" (recognizer.ts), so what comes back depends on what was sent. Tests script
// failures and read the recorded requests.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decode, hear, segmentsOf, type HeardWord } from './recognizer.js';

export interface SttRequest {
  protocol: 'openai' | 'deepgram' | 'assemblyai' | 'elevenlabs';
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Form fields (OpenAI, ElevenLabs) other than the file, each with every value sent, in order. */
  fields: Record<string, string[]>;
  audio: Uint8Array;
  /** The uploaded file's name (multipart protocols). */
  filename?: string;
}

export type SttReply =
  | { hear: true }
  | { json: unknown }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true };

export type SttResponder = (req: SttRequest, n: number) => SttReply | Promise<SttReply>;

export interface FakeStt {
  /** Base URL with the /v1 prefix (OpenAI-compatible); Deepgram's requests go to the same origin. */
  url: string;
  origin: string;
  requests: SttRequest[];
  /** Requests being answered right now. */
  inFlight: number;
  /** The most requests answered at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

export interface FakeSttOptions {
  respond?: SttResponder;
  /** Refuse uploads over this many bytes with 413, as OpenAI does over 25 MB. */
  limitBytes?: number;
  /** Diarizing protocols: which speaker each heard word belongs to, by its index. */
  speakerOf?: (word: HeardWord, index: number) => number;
  /** AssemblyAI: polls answered `processing` before the transcript is `completed`. */
  pollsBeforeDone?: number;
}

/** Words with speakers into speaker turns (a pause over a second also ends one). */
function turns<W extends { start: number; end: number; word: string; speaker: number }>(words: W[]) {
  const out: Array<{ start: number; end: number; text: string; speaker: number }> = [];
  for (const w of words) {
    const last = out.at(-1);
    if (last && last.speaker === w.speaker && w.start - last.end < 1) {
      last.text += ` ${w.word}`;
      last.end = w.end;
    } else out.push({ start: w.start, end: w.end, text: w.word, speaker: w.speaker });
  }
  return out;
}

async function readBody(req: import('node:http').IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

export async function startFakeStt(opts: FakeSttOptions = {}): Promise<FakeStt> {
  const requests: SttRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const state = { inFlight: 0, maxInFlight: 0 };
  // AssemblyAI: uploaded files by URL, and submitted transcripts by id with their polls so far.
  const uploads = new Map<string, Uint8Array>();
  const jobs = new Map<string, { request: SttRequest; polls: number }>();
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  let origin = '';
  const server = createServer(async (req, res) => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    res.on('close', () => state.inFlight--);
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const raw = await readBody(req);
      let r: SttRequest;
      const multipart = { '/v1/audio/transcriptions': 'openai', '/v1/speech-to-text': 'elevenlabs' } as const;
      if (req.method === 'POST' && url.pathname in multipart) {
        const form = await new Request('http://x', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: raw }).formData();
        const fields: Record<string, string[]> = {};
        let audio = new Uint8Array();
        let filename: string | undefined;
        for (const [k, v] of form.entries()) {
          if (typeof v === 'string') (fields[k] ??= []).push(v);
          else {
            audio = new Uint8Array(await v.arrayBuffer());
            filename = v.name;
          }
        }
        r = { protocol: multipart[url.pathname as keyof typeof multipart], path: url.pathname, query: url.searchParams, headers: req.headers, fields, audio, filename };
      } else if (req.method === 'POST' && url.pathname === '/v1/listen') {
        r = { protocol: 'deepgram', path: url.pathname, query: url.searchParams, headers: req.headers, fields: {}, audio: new Uint8Array(raw) };
      } else if (req.method === 'POST' && url.pathname === '/v2/upload') {
        const uploadUrl = `${origin}/files/${uploads.size + 1}`;
        uploads.set(uploadUrl, new Uint8Array(raw));
        return send(res, 200, { upload_url: uploadUrl });
      } else if (req.method === 'POST' && url.pathname === '/v2/transcript') {
        const body = JSON.parse(raw.toString('utf8') || '{}');
        const audio = uploads.get(body.audio_url);
        if (!audio) return send(res, 400, { error: 'Download error: audio_url is not an uploaded file' });
        const fields = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, [JSON.stringify(v)]]));
        r = { protocol: 'assemblyai', path: url.pathname, query: url.searchParams, headers: req.headers, fields, audio };
        requests.push(r);
        const id = `tr_${jobs.size + 1}`;
        jobs.set(id, { request: r, polls: 0 });
        return send(res, 200, { id, status: 'queued' });
      } else if (req.method === 'GET' && url.pathname.startsWith('/v2/transcript/')) {
        const job = jobs.get(url.pathname.slice('/v2/transcript/'.length));
        if (!job) return send(res, 404, { error: 'Transcript not found' });
        if (job.polls++ < (opts.pollsBeforeDone ?? 0)) return send(res, 200, { id: url.pathname.split('/').pop(), status: 'processing' });
        r = job.request;
      } else return send(res, 404, { error: { message: 'not found' } });
      if (r.protocol !== 'assemblyai') requests.push(r);
      if (opts.limitBytes !== undefined && r.audio.length > opts.limitBytes) {
        return send(res, 413, { error: { message: `Maximum content size limit (${opts.limitBytes}) exceeded`, type: 'invalid_request_error' } });
      }
      const reply = opts.respond ? await opts.respond(r, requests.length) : { hear: true as const };
      if ('hang' in reply) {
        hanging.add(res);
        return;
      }
      if ('status' in reply) return send(res, reply.status, reply.body ?? { error: { message: 'scripted failure' } }, reply.headers);
      if ('json' in reply) return send(res, 200, reply.json);
      let words: HeardWord[];
      try {
        words = hear(await decode(r.audio));
      } catch (err) {
        return send(res, 400, { error: { message: (err as Error).message, type: 'invalid_request_error' } });
      }
      const duration = words.at(-1)?.end ?? 0;
      const speakerOf = opts.speakerOf ?? (() => 0);
      if (r.protocol === 'openai') {
        const model = r.fields.model?.[0] ?? '';
        const format = r.fields.response_format?.[0] ?? 'json';
        if (/diarize/.test(model)) {
          // As OpenAI's gpt-4o-transcribe-diarize: json, text or diarized_json only, and a chunking
          // strategy for anything over 30 s.
          if (!['json', 'text', 'diarized_json'].includes(format)) {
            return send(res, 400, { error: { message: `response_format '${format}' is not compatible with model '${model}'. Use 'json', 'text' or 'diarized_json'.`, type: 'invalid_request_error', param: 'response_format', code: 'unsupported_value' } });
          }
          if (duration > 30 && !r.fields.chunking_strategy) {
            return send(res, 400, { error: { message: 'chunking_strategy is required for diarization models when the input is longer than 30 seconds.', type: 'invalid_request_error', param: 'chunking_strategy', code: 'invalid_value' } });
          }
          if (format === 'diarized_json') {
            const letter = (n: number) => String.fromCharCode(65 + n);
            return send(res, 200, {
              task: 'transcribe',
              duration,
              text: words.map((w) => w.word).join(' '),
              segments: turns(words.map((w, i) => ({ ...w, speaker: speakerOf(w, i) }))).map((u, i) => ({ type: 'transcript.text.segment', id: `seg_${i}`, start: u.start, end: u.end, text: u.text, speaker: letter(u.speaker) })),
              usage: { type: 'duration', seconds: Math.ceil(duration) },
            });
          }
        }
        const verbose = format === 'verbose_json';
        const granularities = r.fields['timestamp_granularities[]'] ?? [];
        if (!verbose) return send(res, 200, { text: words.map((w) => w.word).join(' ') });
        return send(res, 200, {
          task: 'transcribe',
          language: 'english',
          duration,
          text: words.map((w) => w.word).join(' '),
          segments: segmentsOf(words).map((s, id) => ({ id, seek: 0, start: s.start, end: s.end, text: ` ${s.text}`, tokens: [1, 2], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.1, no_speech_prob: 0.01 })),
          ...(granularities.includes('word') ? { words: words.map((w) => ({ word: w.word, start: w.start, end: w.end })) } : {}),
        });
      }
      if (r.protocol === 'elevenlabs') {
        // A form field sent twice counts with its last value, as on the real service.
        const last = (k: string) => r.fields[k]?.at(-1);
        const diarize = last('diarize') === 'true';
        const out: Array<Record<string, unknown>> = [];
        words.forEach((w, i) => {
          const speaker = diarize ? { speaker_id: `speaker_${speakerOf(w, i)}` } : {};
          if (i > 0) out.push({ text: ' ', start: words[i - 1]!.end, end: w.start, type: 'spacing', logprob: 0, ...speaker });
          out.push({ text: w.word, start: w.start, end: w.end, type: 'word', logprob: -0.05, ...speaker });
        });
        return send(res, 200, {
          language_code: 'eng',
          language_probability: 0.98,
          text: words.map((w) => w.word).join(' '),
          words: last('timestamps_granularity') === 'none' ? [] : out,
          transcription_id: `tr_${requests.length}`,
        });
      }
      if (r.protocol === 'assemblyai') {
        const letter = (n: number) => String.fromCharCode(65 + n);
        const aaWords = words.map((w, i) => ({ word: w.word, start: w.start, end: w.end, speaker: speakerOf(w, i) }));
        const msOf = (sec: number) => Math.round(sec * 1000);
        const labels = r.fields.speaker_labels?.[0] === 'true';
        return send(res, 200, {
          id: url.pathname.split('/').pop(),
          status: 'completed',
          text: words.map((w) => w.word).join(' '),
          audio_duration: Math.round(duration),
          words: aaWords.map((w) => ({ text: w.word, start: msOf(w.start), end: msOf(w.end), confidence: 0.9, speaker: labels ? letter(w.speaker) : null })),
          utterances: labels ? turns(aaWords).map((u) => ({ text: u.text, start: msOf(u.start), end: msOf(u.end), confidence: 0.9, speaker: letter(u.speaker), words: [] })) : null,
        });
      }
      const dgWords = words.map((w, i) => ({ word: w.word, punctuated_word: w.word, start: w.start, end: w.end, confidence: 0.9, speaker: speakerOf(w, i) }));
      const utterances = turns(dgWords).map((u) => ({ start: u.start, end: u.end, transcript: u.text, speaker: u.speaker, channel: 0, confidence: 0.9 }));
      const wantUtterances = r.query.get('utterances') === 'true';
      return send(res, 200, {
        metadata: { request_id: `req_${requests.length}`, duration, channels: 1 },
        results: {
          channels: [{ alternatives: [{ transcript: dgWords.map((w) => w.word).join(' '), confidence: 0.9, words: dgWords }] }],
          ...(wantUtterances ? { utterances } : {}),
        },
      });
    } catch (err) {
      if (!res.headersSent) send(res, 500, { error: { message: (err as Error).message } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    get inFlight() {
      return state.inFlight;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
