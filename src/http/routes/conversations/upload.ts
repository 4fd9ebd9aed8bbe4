import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../domain/errors.js';
import type { ImportFile } from '../../../domain/conversations/imports.js';
import { detectAudio, SNIFF_BYTES, type DetectedAudio } from '../../../integrations/stt/formats.js';
import { sttSettings } from '../../../integrations/stt/provider.js';
import { formatMb } from '../../../integrations/stt/transcribe-file.js';

// Reads the import form: one transcript file (kept in memory, at most 8 MB), or one or more audio
// tracks, recognised by their first bytes and streamed to the audio folder as they arrive, so a
// 500 MB recording never sits in memory.

export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;
export const MAX_FIELDS = 10;
/** Audio tracks of one upload (one per participant). */
export const MAX_TRACKS = 16;

export interface SavedTrack {
  path: string;
  filename: string;
  audio: DetectedAudio;
  bytes: number;
}

export interface Upload {
  file: ImportFile | null;
  tracks: SavedTrack[];
  raw: Record<string, string>;
  /** Removes the saved tracks (on any refusal, and after a dry run). */
  discard(): Promise<void>;
}

export interface UploadLimits {
  audioDir: string;
  maxAudioBytes: number;
  /** False: audio is refused as soon as it is recognised (no provider configured). */
  sttConfigured: boolean;
}

/**
 * Errors of the multipart reader as API errors. Past a limit the reader stops the stream, so the
 * part being read fails with a premature close rather than the limit's own error.
 */
function uploadError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string })?.code;
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    const message = `At most ${MAX_FIELDS} form fields and one transcript file (or ${MAX_TRACKS} audio tracks)`;
    return new AppError('validation_error', message, { details: { body: message } });
  }
  return err;
}

/** The first `n` bytes of a stream (fewer if it ends), and the rest of it still to read. */
async function peek(stream: AsyncIterable<unknown>, n: number): Promise<{ head: Buffer; iterator: AsyncIterator<Buffer> }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const parts: Buffer[] = [];
  let size = 0;
  while (size < n) {
    const r = await iterator.next();
    if (r.done) break;
    parts.push(r.value);
    size += r.value.length;
  }
  return { head: Buffer.concat(parts), iterator };
}

export async function readUpload(request: FastifyRequest, limits: UploadLimits): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new AppError('validation_error', 'Send multipart/form-data with a file field', { details: { file: 'Required' } });
  }
  const tracks: SavedTrack[] = [];
  const discard = async () => {
    for (const t of tracks) await rm(t.path, { force: true }).catch(() => {});
  };
  let file: ImportFile | null = null;
  const raw: Record<string, string> = {};
  let audioBytes = 0;
  const tooLarge = () => new AppError('payload_too_large', `Audio uploads are limited to ${formatMb(limits.maxAudioBytes)} in all`);
  try {
    const parts = request.parts({ preservePath: true, limits: { fileSize: Math.max(limits.maxAudioBytes, MAX_IMPORT_BYTES), files: MAX_TRACKS, fields: MAX_FIELDS } });
    for await (const part of parts) {
      if (part.type !== 'file') {
        raw[part.fieldname] = String(part.value);
        continue;
      }
      const { head, iterator } = await peek(part.file, SNIFF_BYTES);
      const audio = detectAudio(head);
      if (!audio) {
        if (file || tracks.length) throw new AppError('validation_error', 'Send one transcript file, or audio tracks only', { details: { file: 'One transcript file, or audio tracks only' } });
        const chunks = [head];
        let size = head.length;
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
          size += r.value.length;
          // The message the multipart limit gave before audio raised the per-file limit.
          if (size > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'Uploaded file is too large');
          chunks.push(r.value);
        }
        file = { filename: part.filename, contentType: part.mimetype, data: Buffer.concat(chunks) };
        continue;
      }
      if (file) throw new AppError('validation_error', 'Send one transcript file, or audio tracks only', { details: { file: 'One transcript file, or audio tracks only' } });
      // Refused before the rest of the recording is read: no provider, no point in storing it.
      if (!limits.sttConfigured) {
        throw new AppError('validation_error', `This server has no speech-to-text provider, so it cannot import audio. The operator sets ${sttSettings}; see the README's "Audio" section`, {
          details: { file: 'Audio needs a speech-to-text provider (COLLOQUY_STT_PROVIDER)' },
        });
      }
      await mkdir(limits.audioDir, { recursive: true, mode: 0o700 });
      const track: SavedTrack = { path: join(limits.audioDir, `upload-${randomBytes(12).toString('hex')}.${audio.format}`), filename: part.filename, audio, bytes: 0 };
      tracks.push(track);
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          audioBytes += chunk.length;
          track.bytes += chunk.length;
          done(audioBytes > limits.maxAudioBytes ? tooLarge() : null, chunk);
        },
      });
      const rest = (async function* () {
        yield head;
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
      })();
      await pipeline(rest, counter, createWriteStream(track.path, { mode: 0o600 }));
      if (part.file.truncated) throw tooLarge();
    }
  } catch (err) {
    await discard();
    throw uploadError(err);
  }
  return { file, tracks, raw, discard };
}
