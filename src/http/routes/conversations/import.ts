import { z } from 'zod';
import { assertNoNul } from '../../../domain/conversations/input-text.js';
import { AppError } from '../../../domain/errors.js';
import { parseTranscriptFile } from '../../../domain/transcripts/detect.js';
import { defaultImportTitle, importedSegments, type ImportFile } from '../../../domain/conversations/imports.js';
import { importAudio } from './import-audio.js';
import { readUpload } from './upload.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, errorSchema, isoDate, queryBool, timeZone } from '../../schemas.js';

export const fields = z.object({
  title: z.string().trim().min(1).max(500, 'At most 500 characters').optional(),
  startTime: isoDate.optional(),
  timeZone: timeZone.optional(),
  kind: z.enum(['meeting', 'chat']).optional(),
});
export type ImportFields = z.infer<typeof fields>;

export function registerImportConversation(app: App) {
  app.post(
    '/conversations/import',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Import a transcript file or a recording',
        description:
          'multipart/form-data with a `file` (WebVTT — Zoom, Teams, Meet — SRT, JSON segments, or `Name: text` lines) and optional `title`, `startTime` (ISO 8601; cue offsets are added to it), `timeZone` (IANA, e.g. `Europe/Berlin`: the zone relative dates in the transcript are read in) and `kind`. `?dryRun=true` returns the parsed preview and saves nothing. `?async=true` answers 202 at once with a conversation `in_progress`; `transcript.ready` or `transcript.failed` follows.\n\n**Audio** (WAV, MP3, M4A/AAC, OGG/Opus, WebM, FLAC; recognised from the content) is transcribed by the configured speech-to-text provider, always asynchronously: 202 with the conversation `in_progress` and `metadata.transcription.status` `processing`, then `transcript.ready` or `transcript.failed`. Send several audio `file` parts for one track per participant: each track is labelled with its file name (without extension), or with the name a `speakers` field (JSON, file name → speaker) gives it. With `?dryRun=true` an audio upload reports its format, duration and channels and is not transcribed.',
        querystring: z.object({ dryRun: queryBool.default(false), async: queryBool.default(false) }).strict(),
        response: {
          200: z.object({ data: z.record(z.string(), z.unknown()) }),
          201: z.object({ data: conversationSchema }),
          202: z.object({ data: conversationSchema }),
          413: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { container } = app;
      const upload = await readUpload(request, { audioDir: container.audioDir, maxAudioBytes: container.config.stt.maxAudioBytes, sttConfigured: container.stt !== null });
      let form: z.infer<typeof fields>;
      try {
        form = parseFields(upload.raw, upload.file);
      } catch (err) {
        await upload.discard();
        throw err;
      }
      if (upload.tracks.length) return importAudio(app, request, reply, upload, form);
      const file = upload.file;
      if (!file) throw new AppError('validation_error', 'No file uploaded', { details: { file: 'Required' } });
      const userId = principalOf(request).userId;
      const { conversations, jobs } = container;
      if (request.query.async && !request.query.dryRun) {
        const { conversation } = await conversations.create(
          userId,
          { title: form.title ?? file.filename.replace(/\.[^.]+$/, '').slice(0, 500), kind: form.kind ?? 'meeting', status: 'in_progress', startTime: form.startTime, timeZone: form.timeZone },
          {
            inTransaction: (trx, row) =>
              jobs.enqueue(trx, 'transcript.import', {
                conversationId: row.id,
                userId,
                filename: file.filename,
                contentType: file.contentType,
                dataBase64: file.data.toString('base64'),
                startTime: form.startTime,
              }),
          },
        );
        return reply.status(202).send({ data: conversation });
      }
      const parsed = parseTranscriptFile(file);
      const title = form.title ?? defaultImportTitle(parsed, file.filename);
      const { start, end, segments } = importedSegments(parsed, form.startTime);
      if (request.query.dryRun) {
        return reply.status(200).send({ data: { format: parsed.format, title, startTime: start.toISOString(), segments, warnings: parsed.warnings } });
      }
      const { conversation } = await conversations.create(userId, {
        title,
        kind: form.kind ?? 'meeting',
        startTime: start.toISOString(),
        endTime: end && end >= start ? end.toISOString() : undefined,
        timeZone: form.timeZone,
        segments,
        metadata: { source: { type: 'import', format: parsed.format, filename: file.filename } },
      });
      return reply.status(201).send({ data: conversation });
    },
  );
}

/** The form's text fields, checked (NUL is refused here, as it is in JSON bodies, rather than by the database). */
function parseFields(raw: Record<string, string>, file: ImportFile | null): z.infer<typeof fields> {
  assertNoNul(raw);
  if (file) {
    assertNoNul({ filename: file.filename, contentType: file.contentType ?? '' }, '');
    // The name as sent (a client may send a path): only its last component is kept.
    file.filename = file.filename.split(/[\\/]/).pop()!;
  }
  const { speakers: _speakers, ...rest } = raw;
  const f = fields.safeParse(rest);
  if (!f.success) {
    const details: Record<string, string> = {};
    for (const i of f.error.issues) details[i.path.join('.') || 'body'] ??= i.message;
    throw new AppError('validation_error', 'Invalid form fields', { details });
  }
  return f.data;
}
