import { rm } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import * as repo from '../../db/repos/conversations.js';
import type { AudioTools } from '../../integrations/stt/ffmpeg.js';
import { SttError, type SpeechToText } from '../../integrations/stt/provider.js';
import type { TimedSegment } from '../../integrations/stt/reply.js';
import { transcribeTrack } from '../../integrations/stt/transcribe-file.js';
import { AppError } from '../errors.js';
import { joinTurns } from './imports.js';
import type { ConversationsService } from './service.js';
import { checkSegmentLimits, MAX_SEGMENTS } from './service.js';

// The audio import's second half, run by the job worker: every track through speech-to-text, merged
// by time, written in one transaction with `transcript.ready`; or the conversation marked failed
// with `transcript.failed`. A run the server did not finish (killed, restarted) is simply run
// again: nothing is written before the end, and a finished conversation is left alone.

export interface AudioTrack {
  path: string;
  /** The participant this track belongs to (one file per person), or null. */
  speaker: string | null;
  filename: string;
}

export interface AudioImportDeps {
  db: Kysely<DB>;
  conversations: ConversationsService;
  stt: SpeechToText | null;
  tools: AudioTools;
  workDir: string;
  concurrency: number;
}

export interface AudioJob {
  conversationId: string;
  userId: string;
  startTime?: string;
  tracks: AudioTrack[];
}

export async function completeAudioImport(d: AudioImportDeps, job: AudioJob, opts: { lastAttempt: boolean }): Promise<void> {
  const conv = await repo.findConversation(d.db, job.userId, job.conversationId);
  if (!conv || conv.status !== 'in_progress' || conv.segment_count > 0) return removeTracks(job); // deleted, or already done
  let segments: Array<{ speaker: string; text: string; ts: Date; endSec: number }>;
  try {
    if (!d.stt) throw new SttError('Speech-to-text is no longer configured on this server');
    const start = new Date(job.startTime ?? conv.start_time ?? conv.created_at);
    const timed = await transcribeTracks(d, job.tracks);
    segments = timed.map((s) => ({ speaker: s.speaker, text: s.text, ts: new Date(start.getTime() + Math.round(s.startSec * 1000)), endSec: s.endSec }));
    if (!segments.length) throw new SttError('No speech was recognised in the recording');
    if (segments.length > MAX_SEGMENTS) segments = joinTurns(segments.map((s) => ({ ...s, timestamp: null }))) as typeof segments;
    checkSegmentLimits(segments.map((s) => ({ speaker: s.speaker, text: s.text })));
  } catch (err) {
    const known = err instanceof SttError || err instanceof AppError;
    if (!known && !opts.lastAttempt) throw err; // the job is retried
    await fail(d, job, known ? (err as Error).message : 'The recording could not be transcribed');
    return;
  }
  await d.db.transaction().execute(async (trx) => {
    const c = await repo.findConversation(trx, job.userId, job.conversationId, { forUpdate: true });
    if (!c || c.status !== 'in_progress' || c.segment_count > 0) return;
    const start = new Date(job.startTime ?? c.start_time ?? c.created_at);
    const lastEnd = segments.reduce((m, s) => Math.max(m, s.endSec), 0);
    await repo.updateConversation(trx, c.id, { metadata: JSON.stringify({ ...(c.metadata ?? {}), transcription: { ...transcriptionOf(c.metadata), status: 'ready', provider: d.stt!.name } }) });
    const done = await repo.appendSegments(
      trx,
      c,
      segments.map((s) => ({ speaker: s.speaker, text: s.text, ts: s.ts, role: null, extra: null })),
      { status: 'completed', startTime: start, endTime: new Date(start.getTime() + Math.round(lastEnd * 1000)) },
    );
    await d.conversations.emit(trx, job.userId, [{ event: 'transcript.ready', data: { conversationId: c.id, segmentCount: segments.length } }]);
    await d.conversations.onTranscriptReady?.(trx, done);
  });
  await removeTracks(job);
}

/** Every track transcribed; a track's own speaker name wins over the provider's labels. */
async function transcribeTracks(d: AudioImportDeps, tracks: AudioTrack[]): Promise<Array<TimedSegment & { speaker: string }>> {
  const all: Array<TimedSegment & { speaker: string }> = [];
  for (const t of tracks) {
    const opts = { stt: d.stt!, tools: d.tools, workDir: d.workDir, concurrency: d.concurrency };
    let parts: Array<{ segments: TimedSegment[]; label: string | null }>;
    const channels = t.speaker === null && tracks.length === 1 ? await distinctChannels(d.tools, t.path) : 1;
    if (channels > 1) {
      // One person per channel (a call recorded in stereo): each channel on its own, labelled by it.
      parts = [];
      for (let ch = 0; ch < channels; ch++) parts.push({ segments: await transcribeTrack(t.path, { ...opts, channel: ch }), label: `Channel ${ch + 1}` });
    } else {
      parts = [{ segments: await transcribeTrack(t.path, opts), label: t.speaker }];
    }
    for (const p of parts) for (const s of p.segments) all.push({ ...s, speaker: p.label ?? s.speaker ?? 'Speaker' });
  }
  // Stable: at the same instant, tracks keep their upload order.
  return all.sort((a, b) => a.startSec - b.startSec);
}

/** Channels worth transcribing apart: 1 unless the recording has 2–8 channels that differ. */
async function distinctChannels(tools: AudioTools, path: string): Promise<number> {
  if (!(await tools.available())) return 1;
  const info = await tools.probe(path).catch(() => null);
  const n = info?.channels ?? 1;
  if (n < 2 || n > 8) return 1;
  return (await tools.channelsAlike(path).catch(() => true)) ? 1 : n;
}

function transcriptionOf(metadata: unknown): Record<string, unknown> {
  const t = (metadata as { transcription?: unknown } | null)?.transcription;
  return t && typeof t === 'object' ? (t as Record<string, unknown>) : {};
}

async function fail(d: AudioImportDeps, job: AudioJob, message: string) {
  await d.db.transaction().execute(async (trx) => {
    const conv = await repo.findConversation(trx, job.userId, job.conversationId, { forUpdate: true });
    if (!conv || conv.status !== 'in_progress' || conv.segment_count > 0) return;
    await repo.updateConversation(trx, conv.id, {
      status: 'abandoned',
      metadata: JSON.stringify({ ...(conv.metadata ?? {}), importError: message, transcription: { ...transcriptionOf(conv.metadata), status: 'failed', error: message } }),
    });
    await d.conversations.emit(trx, job.userId, [{ event: 'transcript.failed', data: { conversationId: conv.id, error: message } }]);
  });
  await removeTracks(job);
}

async function removeTracks(job: AudioJob) {
  for (const t of job.tracks) await rm(t.path, { force: true }).catch(() => {});
}
