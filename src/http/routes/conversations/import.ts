import { z } from 'zod';
import { AppError } from '../../../domain/errors.js';
import { parseTranscriptFile } from '../../../domain/transcripts/detect.js';
import { toIsoTimestamps } from '../../../domain/transcripts/timestamps.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, errorSchema, isoDate, queryBool } from '../../schemas.js';

export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

const fields = z.object({
  title: z.string().trim().min(1).max(500, 'At most 500 characters').optional(),
  startTime: isoDate.optional(),
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
          'multipart/form-data with a `file` (WebVTT — Zoom, Teams, Meet — SRT, JSON segments, or `Name: text` lines) and optional `title`, `startTime` (ISO 8601; cue offsets are added to it) and `kind`. With `?dryRun=true` the parsed preview is returned and nothing is saved.',
        querystring: z.object({ dryRun: queryBool.default(false) }).strict(),
        response: {
          200: z.object({ data: z.record(z.string(), z.unknown()) }),
          201: z.object({ data: conversationSchema }),
          413: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError('validation_error', 'Send multipart/form-data with a file field', { details: { file: 'Required' } });
      }
      let file: { filename: string; mimetype: string; data: Buffer } | null = null;
      const raw: Record<string, string> = {};
      for await (const part of request.parts({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10 } })) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (part.file.truncated) throw new AppError('payload_too_large', `File is over ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
          file = { filename: part.filename, mimetype: part.mimetype, data };
        } else {
          raw[part.fieldname] = String(part.value);
        }
      }
      if (!file) throw new AppError('validation_error', 'No file uploaded', { details: { file: 'Required' } });
      const f = fields.safeParse(raw);
      if (!f.success) {
        const details: Record<string, string> = {};
        for (const i of f.error.issues) details[i.path.join('.') || 'body'] ??= i.message;
        throw new AppError('validation_error', 'Invalid form fields', { details });
      }
      const parsed = parseTranscriptFile({ filename: file.filename, contentType: file.mimetype, data: file.data });
      const start = new Date(f.data.startTime ?? parsed.startTime ?? new Date().toISOString());
      const stamped = toIsoTimestamps(parsed.segments, start);
      const title = f.data.title ?? parsed.title ?? file.filename.replace(/\.[^.]+$/, '').slice(0, 500);
      const segments = parsed.segments.map((s, i) => ({ speaker: s.speaker, text: s.text, timestamp: stamped[i]?.timestamp ?? null }));
      if (request.query.dryRun) {
        return reply.status(200).send({ data: { format: parsed.format, title, startTime: start.toISOString(), segments, warnings: parsed.warnings } });
      }
      const { conversation } = await app.container.conversations.create(principalOf(request).userId, {
        title,
        kind: f.data.kind ?? 'meeting',
        startTime: start.toISOString(),
        segments,
        metadata: { source: { type: 'import', format: parsed.format, filename: file.filename } },
      });
      return reply.status(201).send({ data: conversation });
    },
  );
}
