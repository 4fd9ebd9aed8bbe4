import { z } from 'zod';
import { isTimeZone, TIME_ZONE_HINT } from '../domain/time-zone.js';
import { isStorableInstant, STORABLE_YEARS } from '../domain/iso.js';

// Shared pieces of the route schemas; every route's own schema lives beside it.
export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.string()).optional() }),
});

export const envelope = <T extends z.ZodTypeAny>(data: T) => z.object({ data });

export const idParams = z.object({ id: z.string().min(1).max(100) });

export const isoDate = z.iso
  .datetime({ offset: true, error: 'Must be an ISO 8601 date-time, e.g. 2026-03-18T14:00:00Z' })
  .refine((v) => isStorableInstant(Date.parse(v)), STORABLE_YEARS);

/** Query-string booleans arrive as text. */
export const queryBool = z.enum(['true', 'false', '1', '0'], { error: 'Must be true or false' }).transform((v) => v === 'true' || v === '1');

/** An IANA zone name ("Europe/Berlin"); offsets and unknown names are a 400. */
export const timeZone = z.string({ error: TIME_ZONE_HINT }).trim().refine(isTimeZone, TIME_ZONE_HINT);

export const conversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['meeting', 'chat']),
  status: z.enum(['active', 'in_progress', 'completed', 'abandoned']),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  timeZone: z
    .string()
    .nullable()
    .describe("IANA zone given when the conversation was created or imported; relative dates in it (\"tomorrow\", \"end of the week\") are read in this zone. Null when none was given: the owner's profile `timezone` applies (UTC by default)."),
  duration: z.number().nullable(),
  segmentCount: z.number().int(),
  promptId: z.string().nullable(),
  llmModel: z.string().nullable(),
  companyName: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  hasInsights: z.boolean(),
  shareUrl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const searchMatchSchema = z
  .object({
    field: z.enum(['transcript', 'title']),
    segmentIndex: z.number().int().nullable(),
    speaker: z.string().nullable(),
    timestamp: z.string().nullable(),
    snippet: z.string().describe('HTML-escaped text around the match, the matched words in <mark>…</mark>.'),
  })
  .describe('Where the conversation matched `search`: its most relevant segment, or its title.');

export const segmentSchema = z.object({
  index: z.number().int(),
  text: z.string(),
  speaker: z.string(),
  timestamp: z.string().nullable(),
  role: z.enum(['user', 'assistant', 'system', 'tool']).nullable().optional(),
  model: z.string().nullable().optional(),
  tokens: z.number().nullable().optional(),
  toolCalls: z.array(z.unknown()).nullable().optional(),
  usage: z.object({ promptTokens: z.number().optional(), completionTokens: z.number().optional() }).nullable().optional(),
  latencyMs: z.number().nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});

export const commonErrors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  429: errorSchema,
};
