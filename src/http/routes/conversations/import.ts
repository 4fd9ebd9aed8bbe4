import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { assertNoNul } from '../../../domain/conversations/input-text.js';
import { AppError } from '../../../domain/errors.js';
import { parseTranscriptFile } from '../../../domain/transcripts/detect.js';
import { defaultImportTitle, importedSegments, type ImportFile } from '../../../domain/conversations/imports.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, errorSchema, isoDate, queryBool, timeZone } from '../../schemas.js';

export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;
const MAX_FIELDS = 10;

/**
 * Errors of the multipart reader as API errors. Past a limit the reader stops the stream, so the
 * part being read fails with a premature close rather than the limit's own error.
 */
function uploadError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string })?.code;
  // File-size, file-count and part-count limits are mapped to 413 with the other errors.
  if (code === 'FST_FIELDS_LIMIT' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new AppError('validation_error', `At most ${MAX_FIELDS} form fields and one file`, { details: { body: `At most ${MAX_FIELDS} form fields and one file` } });
  }
  return err;
}

const fields = z.object({
  title: z.string().trim().min(1).max(500, 'At most 500 characters').optional(),
  startTime: isoDate.optional(),
  timeZone: timeZone.optional(),
  kind: z.enum(['meeting', 'chat']).optional(),
});

export function registerImportConversation(app: App) {
  app.post(
    '/conversations/import',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Import a transcript file',
        description:
          'multipart/form-data with a `file` (WebVTT — Zoom, Teams, Meet — SRT, JSON segments, or `Name: text` lines) and optional `title`, `startTime` (ISO 8601; cue offsets are added to it), `timeZone` (IANA, e.g. `Europe/Berlin`: the zone relative dates in the transcript are read in) and `kind`. `?dryRun=true` returns the parsed preview and saves nothing. `?async=true` answers 202 at once with a conversation `in_progress`; `transcript.ready` or `transcript.failed` follows.',
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
      const { file, form } = await readUpload(request);
      const userId = principalOf(request).userId;
      const { conversations, jobs } = app.container;
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

async function readUpload(request: FastifyRequest): Promise<{ file: ImportFile; form: z.infer<typeof fields> }> {
  if (!request.isMultipart()) {
    throw new AppError('validation_error', 'Send multipart/form-data with a file field', { details: { file: 'Required' } });
  }
  let file: ImportFile | null = null;
  const raw: Record<string, string> = {};
  try {
    for await (const part of request.parts({ preservePath: true, limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: MAX_FIELDS } })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.file.truncated) throw new AppError('payload_too_large', `File is over ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
        // The name as sent (a client may send a path): NUL anywhere in it is refused below, then only
        // its last component is kept.
        file = { filename: part.filename, contentType: part.mimetype, data };
      } else {
        raw[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    throw uploadError(err);
  }
  // The file name, its declared type and the fields are stored (or queued) as text: NUL is refused
  // here, as it is in JSON bodies, rather than by the database.
  assertNoNul(raw);
  if (!file) throw new AppError('validation_error', 'No file uploaded', { details: { file: 'Required' } });
  assertNoNul({ filename: file.filename, contentType: file.contentType ?? '' }, '');
  file.filename = file.filename.split(/[\\/]/).pop()!;
  const f = fields.safeParse(raw);
  if (!f.success) {
    const details: Record<string, string> = {};
    for (const i of f.error.issues) details[i.path.join('.') || 'body'] ??= i.message;
    throw new AppError('validation_error', 'Invalid form fields', { details });
  }
  return { file, form: f.data };
}
