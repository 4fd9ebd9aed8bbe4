import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import * as repo from '../../db/repos/conversations.js';
import { AppError } from '../errors.js';
import { isStorableInstant, STORABLE_YEARS } from '../iso.js';
import { parseTranscriptFile } from '../transcripts/detect.js';
import { toIsoTimestamps } from '../transcripts/timestamps.js';
import type { ParsedTranscriptFile } from '../transcripts/types.js';
import { assertNoNul } from './input-text.js';
import type { ConversationsService } from './service.js';
import { checkSegmentLimits, MAX_SEGMENTS } from './service.js';
import { byteLength, MAX_MESSAGE_BYTES } from '../transcripts/limits.js';

export interface ImportFile {
  filename: string;
  contentType?: string;
  data: Buffer;
}

/** Parsed file → the segments body a conversation is created from, timestamps = start + cue offset. */
export function importedSegments(parsed: ParsedTranscriptFile, startTime: string | undefined) {
  const start = new Date(startTime ?? parsed.startTime ?? new Date().toISOString());
  const stamped = toIsoTimestamps(parsed.segments, start);
  const lastEnd = parsed.segments.reduce((m, s) => Math.max(m, s.endMs ?? s.startMs ?? 0), 0);
  const end = lastEnd > 0 ? new Date(start.getTime() + lastEnd) : null;
  if (!isStorableInstant(start.getTime()) || (end && !isStorableInstant(end.getTime()))) {
    throw new AppError('validation_error', 'The transcript would start or end outside the years 0001–9999', { details: { startTime: STORABLE_YEARS } });
  }
  const segments = parsed.segments.map((s, i) => ({ speaker: s.speaker, text: s.text, timestamp: stamped[i]?.timestamp ?? null }));
  return { start, end, segments: segments.length > MAX_SEGMENTS ? joinTurns(segments) : segments };
}

/**
 * A caption file over the segment limit (an all-day meeting's 8 MB of Zoom captions is about 55,000
 * cues, a few words each) keeps all its words: consecutive cues of one speaker become one segment,
 * timed by its first cue, up to a message's size. Files within the limit keep their cues as they are.
 */
export function joinTurns<T extends { speaker: string; text: string; timestamp: string | null }>(segments: T[]): T[] {
  const out: T[] = [];
  for (const s of segments) {
    const last = out.at(-1);
    if (last && last.speaker === s.speaker && byteLength(last.text) + byteLength(s.text) + 1 <= MAX_MESSAGE_BYTES) {
      out[out.length - 1] = { ...last, text: `${last.text} ${s.text}` };
    } else out.push(s);
  }
  return out;
}

export function defaultImportTitle(parsed: ParsedTranscriptFile, filename: string): string {
  return (parsed.title ?? filename.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '')).slice(0, 500) || 'Imported transcript';
}

/**
 * The asynchronous import's second half, run by the job worker: fills the placeholder conversation
 * and fires transcript.ready, or records the failure and fires transcript.failed.
 */
export async function completeImport(
  db: Kysely<DB>,
  conversations: ConversationsService,
  job: { conversationId: string; userId: string; file: ImportFile; startTime?: string },
): Promise<void> {
  let prepared;
  try {
    const parsed = parseTranscriptFile(job.file);
    prepared = importedSegments(parsed, job.startTime);
    checkSegmentLimits(prepared.segments);
    assertNoNul(prepared.segments, 'file');
  } catch (err) {
    const message = err instanceof AppError ? err.message : 'The transcript file could not be read';
    await db.transaction().execute(async (trx) => {
      const conv = await repo.findConversation(trx, job.userId, job.conversationId, { forUpdate: true });
      if (!conv || conv.status !== 'in_progress') return;
      await repo.updateConversation(trx, conv.id, {
        status: 'abandoned',
        metadata: JSON.stringify({ ...(conv.metadata ?? {}), importError: message }),
      });
      await conversations.emit(trx, job.userId, [{ event: 'transcript.failed', data: { conversationId: conv.id, error: message } }]);
    });
    if (err instanceof AppError) return; // a bad file will not get better on retry
    throw err;
  }
  await db.transaction().execute(async (trx) => {
    const conv = await repo.findConversation(trx, job.userId, job.conversationId, { forUpdate: true });
    if (!conv || conv.status !== 'in_progress' || conv.segment_count > 0) return; // deleted, or a retry of a finished job
    const done = await repo.appendSegments(
      trx,
      conv,
      prepared.segments.map((s) => ({ speaker: s.speaker, text: s.text, ts: s.timestamp ? new Date(s.timestamp) : null, role: null, extra: null })),
      { status: 'completed', startTime: prepared.start, endTime: prepared.end },
    );
    await conversations.emit(trx, job.userId, [{ event: 'transcript.ready', data: { conversationId: conv.id, segmentCount: prepared.segments.length } }]);
    await conversations.onTranscriptReady?.(trx, done);
  });
}
