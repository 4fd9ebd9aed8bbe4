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
import { checkSegmentLimits } from './service.js';

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
  return {
    start,
    end,
    segments: parsed.segments.map((s, i) => ({ speaker: s.speaker, text: s.text, timestamp: stamped[i]?.timestamp ?? null })),
  };
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
    await repo.appendSegments(
      trx,
      conv,
      prepared.segments.map((s) => ({ speaker: s.speaker, text: s.text, ts: s.timestamp ? new Date(s.timestamp) : null, role: null, extra: null })),
      { status: 'completed', startTime: prepared.start, endTime: prepared.end },
    );
    await conversations.emit(trx, job.userId, [{ event: 'transcript.ready', data: { conversationId: conv.id, segmentCount: prepared.segments.length } }]);
  });
}
