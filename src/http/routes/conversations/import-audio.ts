import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertNoNul, toWellFormed } from '../../../domain/conversations/input-text.js';
import { AppError } from '../../../domain/errors.js';
import { wavInfo, type AudioInfo } from '../../../integrations/stt/ffmpeg.js';
import { tooLargeWithoutFfmpeg } from '../../../integrations/stt/transcribe-file.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import type { ImportFields } from './import.js';
import type { SavedTrack, Upload } from './upload.js';

// The audio half of POST /conversations/import: checks what can be checked before any
// transcription (readable audio, provider limit vs. ffmpeg, speaker names), then creates the
// conversation `in_progress` and enqueues `transcript.audio` in one transaction. Any refusal
// removes the saved files and writes nothing.

type Request = FastifyRequest & { query: { dryRun: boolean } };

const stem = (name: string) => name.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, '').trim();

export async function importAudio(app: App, request: Request, reply: FastifyReply, upload: Upload, form: ImportFields) {
  const { container } = app;
  try {
    const userId = principalOf(request).userId;
    // Names are stored (metadata, job, speaker labels) as text: NUL refused, lone surrogates replaced.
    assertNoNul(upload.tracks.map((t) => t.filename), 'file');
    for (const t of upload.tracks) t.filename = toWellFormed(t.filename);
    const speakers = speakerNames(upload.raw.speakers, upload.tracks);
    const infos: AudioInfo[] = [];
    const ffmpeg = await container.audioTools.available();
    let problem: AppError | null = null;
    for (const t of upload.tracks) {
      if (t.bytes === 0) throw new AppError('validation_error', `${t.filename || 'The file'} is empty`, { details: { file: 'Empty file' } });
      infos.push(await probe(app, t, ffmpeg));
      if (t.bytes > container.stt!.uploadLimitBytes && !ffmpeg) problem ??= new AppError('payload_too_large', tooLargeWithoutFfmpeg(container.stt!.uploadLimitBytes));
    }
    const tracks = upload.tracks.map((t, i) => ({
      filename: t.filename.split(/[\\/]/).pop()!,
      format: t.audio.format,
      bytes: t.bytes,
      durationSec: infos[i]!.durationSec === null ? null : Math.round(infos[i]!.durationSec! * 1000) / 1000,
      channels: infos[i]!.channels,
      speaker: speakers[i],
    }));
    const first = tracks[0]!;
    const durationSec = tracks.every((t) => t.durationSec !== null) ? Math.max(...tracks.map((t) => t.durationSec!)) : null;
    if (request.query.dryRun) {
      await upload.discard();
      const verdict = problem ? { transcribable: false, problem: problem.message, warnings: [problem.message] } : { transcribable: true, warnings: [] };
      // The same shape as a transcript file's preview (title, segments), plus what only audio has.
      return reply.status(200).send({
        data: { kind: 'audio', format: first.format, title: titleOf(form, tracks), segments: [], durationSec, channels: first.channels, tracks, provider: container.stt!.name, ...verdict },
      });
    }
    if (problem) throw problem;
    const title = titleOf(form, tracks);
    const { conversation } = await container.conversations.create(
      userId,
      {
        title,
        kind: form.kind ?? 'meeting',
        status: 'in_progress',
        startTime: form.startTime,
        timeZone: form.timeZone,
        metadata: {
          source: { type: 'audio', format: first.format, filename: first.filename, ...(tracks.length > 1 ? { tracks: tracks.map((t) => ({ filename: t.filename, speaker: t.speaker })) } : {}) },
          transcription: { status: 'processing', durationSec, channels: first.channels },
        },
      },
      {
        inTransaction: (trx, row) =>
          container.jobs.enqueue(trx, 'transcript.audio', {
            conversationId: row.id,
            userId,
            startTime: form.startTime ?? new Date(row.start_time ?? row.created_at).toISOString(),
            tracks: upload.tracks.map((t, i) => ({ path: t.path, speaker: speakers[i] ?? null, filename: tracks[i]!.filename })),
          }),
      },
    );
    return reply.status(202).send({ data: conversation });
  } catch (err) {
    await upload.discard();
    throw err;
  }
}

function titleOf(form: ImportFields, tracks: Array<{ filename: string }>): string {
  return form.title ?? (tracks.length > 1 ? 'Recording' : stem(tracks[0]!.filename).slice(0, 500) || 'Recording');
}

async function probe(app: App, t: SavedTrack, ffmpeg: boolean): Promise<AudioInfo> {
  if (ffmpeg) {
    try {
      return await app.container.audioTools.probe(t.path);
    } catch {
      throw new AppError('validation_error', `${t.filename || 'The file'} looks like ${t.audio.format.toUpperCase()} audio but cannot be read`, { details: { file: 'Unreadable audio' } });
    }
  }
  if (t.audio.format === 'wav') return wavInfo(t.path).catch(() => ({ durationSec: null, channels: null, codec: null }));
  return { durationSec: null, channels: null, codec: null };
}

/**
 * One name per track: a single track is diarized (or "Speaker"); several tracks are one person each,
 * named by the `speakers` field (file name → name) or by the file name without its extension.
 */
function speakerNames(field: string | undefined, tracks: SavedTrack[]): Array<string | null> {
  let given: Record<string, unknown> = {};
  if (field !== undefined) {
    try {
      given = JSON.parse(field);
    } catch {
      /* checked below */
    }
    if (!given || typeof given !== 'object' || Array.isArray(given) || Object.values(given).some((v) => typeof v !== 'string' || !v.trim() || v.length > 200)) {
      throw new AppError('validation_error', 'speakers must be a JSON object of file name → speaker name', { details: { speakers: 'A JSON object of file name → speaker name (1–200 characters)' } });
    }
  }
  const names = tracks.map((t) => {
    const name = t.filename.split(/[\\/]/).pop()!;
    const g = given[name];
    if (typeof g === 'string') return toWellFormed(g.trim());
    return tracks.length > 1 ? stem(name).slice(0, 200) || null : null;
  });
  assertNoNul(names.filter(Boolean), 'speakers');
  if (tracks.length > 1 && names.some((n) => !n)) {
    throw new AppError('validation_error', 'Every track of a multi-track upload needs a speaker name (its file name, or the speakers field)', { details: { speakers: 'Name every track' } });
  }
  return names;
}

