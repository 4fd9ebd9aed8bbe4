// Converra's `content` field: a JSON string `{ messages, metadata? }` or role-labelled text.
import { z } from 'zod';
import { AppError, type ErrorDetails } from '../errors.js';
import { isStorableInstant, STORABLE_YEARS } from '../iso.js';
import { roles, type Role } from '../segment.js';
import { isPlausibleSpeaker, roleForLabel, splitLabel } from './labels.js';
import { checkContentSize, checkMessageCount, checkMessageSize } from './limits.js';
import { normalizeNewlines } from './text.js';
import { UNKNOWN_SPEAKER } from './types.js';

export type ContentKind = 'meeting' | 'chat';
export type ContentFormat = 'json' | 'labelled' | 'plain';

export interface ContentMessage {
  role: Role | null;
  speaker: string;
  text: string;
  timestamp?: string;
  model?: string;
  tokens?: number;
  toolCalls?: unknown[];
  usage?: { promptTokens?: number; completionTokens?: number };
  latencyMs?: number;
  metadata?: Record<string, unknown>;
}

export interface ParsedContent {
  messages: ContentMessage[];
  metadata?: Record<string, unknown>;
  format: ContentFormat;
}

const count = () => z.number({ error: 'Must be a number' }).int('Must be an integer').nonnegative('Must be 0 or more');

const usageSchema = z.object({
  promptTokens: count().nullish(),
  completionTokens: count().nullish(),
});

/** One Converra message; also usable for the `messages: [...]` request body. */
export const contentMessageSchema = z
  .object({
    role: z.enum(roles, { error: `Must be one of ${roles.join(', ')}` }),
    // Tool results may carry everything in toolCalls, so content is only required for other roles.
    content: z.string({ error: 'Must be a string' }).nullish(),
    // Not in Converra's schema, but "the speaker is the role unless a name is given" needs somewhere to give it.
    name: z.string({ error: 'Must be a string' }).trim().min(1, 'Must not be empty').max(200, 'At most 200 characters').nullish(),
    timestamp: z.iso
      .datetime({ offset: true, error: 'Must be an ISO 8601 date-time with a time zone' })
      .refine((v) => isStorableInstant(Date.parse(v)), STORABLE_YEARS)
      .nullish(),
    model: z.string({ error: 'Must be a string' }).max(200, 'At most 200 characters').nullish(),
    tokens: count().nullish(),
    toolCalls: z.array(z.unknown(), { error: 'Must be an array' }).nullish(),
    usage: usageSchema.nullish(),
    latencyMs: z.number({ error: 'Must be a number' }).nonnegative('Must be 0 or more').nullish(),
    metadata: z.record(z.string(), z.unknown(), { error: 'Must be an object' }).nullish(),
  })
  .superRefine((message, ctx) => {
    if (message.role !== 'tool' && !message.content?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'Required (non-empty) for user, assistant and system messages' });
    }
  });

export const structuredContentSchema = z.object(
  {
    messages: z.array(contentMessageSchema, { error: 'Must be an array of messages' }).min(1, 'At least one message is required'),
    metadata: z.record(z.string(), z.unknown(), { error: 'Must be an object' }).nullish(),
  },
  { error: 'Must be an object with a messages array' },
);

export type StructuredMessage = z.infer<typeof contentMessageSchema>;

/** Zod issues as `{ "messages.3.role": "…" }`, first problem per field. */
export function zodDetails(error: z.ZodError, rootField = 'content'): ErrorDetails {
  const details: ErrorDetails = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : rootField;
    details[key] ??= issue.message;
  }
  return details;
}

/** Maps a validated Converra message to the parser output; the speaker is the name when one is given. */
export function toContentMessage(message: StructuredMessage): ContentMessage {
  const out: ContentMessage = { role: message.role, speaker: message.name ?? message.role, text: message.content ?? '' };
  if (message.timestamp != null) out.timestamp = new Date(message.timestamp).toISOString();
  if (message.model != null) out.model = message.model;
  if (message.tokens != null) out.tokens = message.tokens;
  if (message.toolCalls != null) out.toolCalls = message.toolCalls;
  if (message.usage != null) {
    const usage: { promptTokens?: number; completionTokens?: number } = {};
    if (message.usage.promptTokens != null) usage.promptTokens = message.usage.promptTokens;
    if (message.usage.completionTokens != null) usage.completionTokens = message.usage.completionTokens;
    out.usage = usage;
  }
  if (message.latencyMs != null) out.latencyMs = message.latencyMs;
  if (message.metadata != null) out.metadata = message.metadata;
  return out;
}

function parseStructured(value: unknown): ParsedContent {
  const candidate = Array.isArray(value) ? { messages: value } : value;
  // Count before validating so a 100,000-message body is rejected without validating each one.
  if (candidate && typeof candidate === 'object' && Array.isArray((candidate as { messages?: unknown }).messages)) {
    checkMessageCount((candidate as { messages: unknown[] }).messages.length);
  }
  const result = structuredContentSchema.safeParse(candidate);
  if (!result.success) {
    throw new AppError('validation_error', 'Invalid structured content', { details: zodDetails(result.error) });
  }
  const parsed: ParsedContent = { messages: result.data.messages.map(toContentMessage), format: 'json' };
  if (result.data.metadata != null) parsed.metadata = result.data.metadata;
  return parsed;
}

interface Turn {
  label: string | null;
  lines: string[];
}

type LabelMode = 'roles' | 'names';

function isLabel(label: string, mode: LabelMode): boolean {
  return mode === 'roles' ? roleForLabel(label) !== null : isPlausibleSpeaker(label);
}

// Without an explicit kind, any role label makes it a chat log (so "Note:" stays text); otherwise names.
function chooseMode(lines: string[], kind: ContentKind | undefined): LabelMode {
  if (kind === 'chat') return 'roles';
  if (kind === 'meeting') return 'names';
  const hasRoleLabel = lines.some((line) => {
    const split = splitLabel(line);
    return split !== null && roleForLabel(split.label) !== null;
  });
  return hasRoleLabel ? 'roles' : 'names';
}

// Meeting notes often carry a clock before the speaker ("[00:01:23] Alice: …"); the label still counts.
const LEADING_CLOCK_RE = /^[[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?\s+/;

function findLabel(line: string, mode: LabelMode) {
  const direct = splitLabel(line);
  if (direct || mode === 'roles') return direct;
  const clock = LEADING_CLOCK_RE.exec(line);
  return clock ? splitLabel(line.slice(clock[0].length)) : null;
}

function splitTurns(lines: string[], mode: LabelMode): { turns: Turn[]; labelled: boolean } {
  const turns: Turn[] = [];
  let labelled = false;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const split = findLabel(line, mode);
    if (split && isLabel(split.label, mode)) {
      labelled = true;
      turns.push({ label: split.label, lines: split.rest ? [split.rest] : [] });
      continue;
    }
    const last = turns[turns.length - 1];
    if (last) last.lines.push(line);
    else turns.push({ label: null, lines: [line] });
  }
  return { turns, labelled };
}

function turnToMessage(turn: Turn, mode: LabelMode): ContentMessage {
  if (mode === 'roles') {
    // Chat messages keep their line breaks (lists, code); only trailing spaces go.
    const text = turn.lines.map((line) => line.trimEnd()).join('\n').trim();
    const role = turn.label === null ? 'user' : (roleForLabel(turn.label) ?? 'user');
    return { role, speaker: role, text };
  }
  // Meeting transcripts wrap lines arbitrarily, so continuation lines are joined into one sentence flow.
  const text = turn.lines.map((line) => line.trim()).join(' ').replace(/[ \t]+/g, ' ').trim();
  return { role: null, speaker: turn.label ?? UNKNOWN_SPEAKER, text };
}

function parseText(content: string, kind: ContentKind | undefined): ParsedContent {
  const lines = normalizeNewlines(content).split('\n');
  const mode = chooseMode(lines, kind);
  const { turns, labelled } = splitTurns(lines, mode);
  const effectiveMode: LabelMode = labelled ? mode : kind === 'meeting' ? 'names' : 'roles';
  let messages: ContentMessage[];
  if (labelled) {
    messages = turns.map((turn) => turnToMessage(turn, effectiveMode));
  } else {
    // No labels at all: the whole text is one turn by an unknown speaker (meeting) or the user (chat).
    messages = [turnToMessage({ label: null, lines: turns.flatMap((t) => t.lines) }, effectiveMode)];
  }
  messages = messages.filter((message) => message.text !== '');
  if (messages.length === 0) {
    throw new AppError('validation_error', 'content has no message text', { details: { content: 'Labels without any text' } });
  }
  return { messages, format: labelled ? 'labelled' : 'plain' };
}

function looksLikeJson(trimmed: string): boolean {
  return trimmed.startsWith('{') || trimmed.startsWith('[');
}

/**
 * Parses Converra's `content` string. Enforces the content limits (413 payload_too_large) and
 * reports bad structured content as validation_error with per-field details (`messages.3.role`).
 */
export function parseContent(content: string, kind?: ContentKind): ParsedContent {
  if (typeof content !== 'string') {
    throw new AppError('validation_error', 'content must be a string', { details: { content: 'Must be a string' } });
  }
  checkContentSize(content);
  const trimmed = content.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new AppError('validation_error', 'content is empty', { details: { content: 'Required' } });

  let parsed: ParsedContent | null = null;
  if (looksLikeJson(trimmed)) {
    let value: unknown;
    let jsonError: string | null = null;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      jsonError = error instanceof Error ? error.message : String(error);
    }
    if (jsonError === null) parsed = parseStructured(value);
    // "[00:01] Alice: …" starts with a bracket too; only an opening brace commits to JSON.
    else if (trimmed.startsWith('{')) {
      throw new AppError('validation_error', 'content is not valid JSON', { details: { content: `Invalid JSON: ${jsonError}` } });
    }
  }
  parsed ??= parseText(content, kind);

  checkMessageCount(parsed.messages.length);
  parsed.messages.forEach((message, i) => checkMessageSize(message.text, `messages.${i}.content`));
  return parsed;
}
