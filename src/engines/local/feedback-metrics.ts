// Measurable behaviour of one participant: talk share, interruptions, questions, monologues,
// fillers and pace in meetings; turns and response times in chats. Everything here is counted,
// never guessed, so the scores built on it can be explained to the person being coached. A typed
// chat has no interruptions or monologues, and messages that share one timestamp (a pasted log)
// say nothing about timing, so neither becomes a measurement.
import type { FeedbackMetrics, SpeakerMetric, TimelineBucket } from '../schemas.js';
import { responseTimes, usableTimestamps } from '../../domain/transcripts/timing.js';
import { fillerCount, wordCount } from './text.js';
import { canonicalSpeaker, type Transcript } from './transcript.js';

const ESTIMATED_WPM = 150;
/** A fast speaker; used so timestamp-based overlap only flags turns that must have overlapped. */
const FAST_WPM = 220;
const TIMELINE_BUCKETS = 10;

export interface Turn {
  speaker: string;
  /** Segment positions in this turn (consecutive segments by one speaker). */
  segs: number[];
  words: number;
}

export interface UserMetrics {
  kind: 'meeting' | 'chat';
  user: string;
  talkTimeShare: number;
  interruptions: number;
  questionsAsked: number;
  /** Null without usable timestamps. */
  longestMonologueSeconds: number | null;
  longestMonologueWords: number;
  fillerRate: number;
  wordsPerMinute: number | null;
  speakers: SpeakerMetric[];
  talkTimeline: TimelineBucket[];
  medianResponseSeconds: number | null;
  turns: Turn[];
  userTurns: Turn[];
  /** Segment positions where the user interrupted someone. */
  interruptionSegs: number[];
  /** Sentence ids of the user's questions. */
  questionSentences: number[];
  longestMonologue: Turn | null;
  userWords: number;
  userSentenceCount: number;
}

/**
 * The user: `requested` if it names a speaker (case-insensitive), else whoever spoke most. Reads only
 * speaker labels and word counts, so a feedback cache can be checked without preparing a transcript.
 */
export function resolveUserSpeaker(segments: readonly { speaker: string; text: string }[], requested?: string): string {
  const speakerOf = segments.map((s) => canonicalSpeaker(s.speaker || 'Speaker'));
  const speakers = [...new Set(speakerOf)];
  if (requested) {
    const want = requested.trim().toLowerCase();
    const exact = speakers.find((s) => s.toLowerCase() === want);
    if (exact) return exact;
    const raw = segments.findIndex((s) => s.speaker.trim().toLowerCase() === want);
    if (raw >= 0) return speakerOf[raw];
  }
  const words = new Map<string, number>();
  segments.forEach((s, i) => words.set(speakerOf[i], (words.get(speakerOf[i]) ?? 0) + wordCount(s.text)));
  return [...words.entries()].sort((a, b) => b[1] - a[1] || speakers.indexOf(a[0]) - speakers.indexOf(b[0]))[0]?.[0] ?? speakers[0] ?? 'Speaker';
}

export function pickUser(t: Transcript, requested?: string): string {
  return resolveUserSpeaker(t.segments, requested);
}

export function buildTurns(t: Transcript): Turn[] {
  const turns: Turn[] = [];
  t.segments.forEach((s, i) => {
    const sp = t.speakerOf[i];
    const last = turns[turns.length - 1];
    if (last && last.speaker === sp) {
      last.segs.push(i);
      last.words += wordCount(s.text);
    } else turns.push({ speaker: sp, segs: [i], words: wordCount(s.text) });
  });
  return turns;
}

function ms(ts: string | null | undefined): number {
  return ts ? Date.parse(ts) : NaN;
}

/**
 * A turn interrupts when it starts before the previous speaker's sentence ended: the previous
 * segment trails off ("--", "…", a dangling comma or no end punctuation at all), or the
 * timestamps show the new turn began before a fast speaker could have finished.
 */
export function isInterruption(t: Transcript, prevSeg: number, seg: number, punctuated = true, timed = true): boolean {
  const prev = t.segments[prevSeg].text.trim();
  if (!prev) return false;
  const cutOff = /(?:--|—|–|…|\.\.\.|-)$/.test(prev);
  const unfinished = /(?:,|\b(?:and|but|so|or|the|a|an|to|of|that|because|with|for))$/i.test(prev) || !/[.!?)"'”]$/.test(prev);
  // In unpunctuated transcripts (raw ASR) a missing period says nothing about the speaker.
  const trailing = cutOff || (punctuated && unfinished);
  const a = ms(t.segments[prevSeg].timestamp);
  const b = ms(t.segments[seg].timestamp);
  let overlap = false;
  if (timed && Number.isFinite(a) && Number.isFinite(b)) {
    const minDurationMs = (wordCount(prev) / FAST_WPM) * 60000;
    overlap = b < a + minDurationMs - 500;
  }
  // Backchannels ("yeah", "mm-hmm") don't take the floor, so they are not interruptions.
  const backchannel = /^(?:yeah|yes|yep|mm+|mhm|mm-hmm|uh-huh|right|okay|ok|sure|exactly|true|oh|wow|hmm)[.!,]*$/i.test(t.segments[seg].text.trim());
  return !backchannel && (trailing || overlap);
}

/** Seconds a turn took by the timestamps, or null when they cannot tell. */
function turnSeconds(t: Transcript, turn: Turn): number | null {
  const first = turn.segs[0];
  const last = turn.segs[turn.segs.length - 1];
  const start = ms(t.segments[first].timestamp);
  const next = ms(t.segments[last + 1]?.timestamp);
  const estimate = (turn.words / ESTIMATED_WPM) * 60;
  if (Number.isFinite(start) && Number.isFinite(next) && next > start) {
    // Silence after a turn is not speech: cap at twice the estimate.
    return Math.min((next - start) / 1000, estimate * 2 + 5);
  }
  return null;
}

/** Seconds a monologue of this many words takes at a typical pace; for scoring untimed meetings. */
export function estimatedSeconds(words: number): number {
  return (words / ESTIMATED_WPM) * 60;
}

function wordsPerMinute(t: Transcript, userTurns: Turn[]): number | null {
  if (!usableTimestamps(t.segments)) return null;
  let words = 0;
  let seconds = 0;
  for (const turn of userTurns) {
    for (const i of turn.segs) {
      const a = ms(t.segments[i].timestamp);
      const b = ms(t.segments[i + 1]?.timestamp);
      if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) continue;
      const w = wordCount(t.segments[i].text);
      const secs = (b - a) / 1000;
      // A gap much longer than the words need is a pause or silence; skip it rather than guess.
      // (30 wpm is slower than anyone speaks.)
      if (secs > w * 2 + 10) continue;
      words += w;
      seconds += secs;
    }
  }
  if (seconds < 20 || words < 30) return null;
  return Math.round((words / seconds) * 60);
}

function timeline(t: Transcript): TimelineBucket[] {
  const total = Math.max(1, t.totalWords);
  const out = new Map<string, TimelineBucket>();
  t.segments.forEach((s, i) => {
    const bucket = Math.min(TIMELINE_BUCKETS - 1, Math.floor((t.wordsBefore[i] / total) * TIMELINE_BUCKETS));
    const key = `${bucket}|${t.speakerOf[i]}`;
    const b = out.get(key) ?? { bucket, speaker: t.speakerOf[i], words: 0 };
    b.words += wordCount(s.text);
    out.set(key, b);
  });
  return [...out.values()].sort((a, b) => a.bucket - b.bucket || t.speakers.indexOf(a.speaker) - t.speakers.indexOf(b.speaker));
}

export function computeMetrics(t: Transcript, user: string): UserMetrics {
  const kind = t.conv.kind;
  const turns = buildTurns(t);
  const userTurns = turns.filter((x) => x.speaker === user);
  const speakers = speakerMetrics(t);
  const userWords = speakers.find((s) => s.speaker === user)?.words ?? 0;
  const timed = usableTimestamps(t.segments);

  const punctuatedSegs = t.segments.filter((s) => /[.!?]["'”)]?\s*$/.test(s.text.trim())).length;
  const punctuated = punctuatedSegs >= t.segments.length * 0.5;
  const interruptionSegs: number[] = [];
  if (kind === 'meeting') {
    for (let k = 1; k < turns.length; k++) {
      if (turns[k].speaker !== user) continue;
      const prevSeg = turns[k - 1].segs[turns[k - 1].segs.length - 1];
      if (isInterruption(t, prevSeg, turns[k].segs[0], punctuated, timed)) interruptionSegs.push(turns[k].segs[0]);
    }
  }

  const userSentences = t.sentences.filter((s) => s.speaker === user);
  const questionSentences = userSentences.filter((s) => s.question).map((s) => s.id);
  let longest: Turn | null = null;
  for (const turn of userTurns) if (!longest || turn.words > longest.words) longest = turn;
  const fillers = userTurns.reduce((a, turn) => a + turn.segs.reduce((b, i) => b + fillerCount(t.segments[i].text), 0), 0);
  const longestSeconds = longest && timed && kind === 'meeting' ? turnSeconds(t, longest) : null;
  // How quickly the coached person answered the others.
  const replies = kind === 'chat' ? responseTimes(t.segments, (i) => t.speakerOf[i] !== user) : [];

  return {
    kind,
    user,
    turns,
    userTurns,
    interruptionSegs,
    questionSentences,
    longestMonologue: kind === 'meeting' ? longest : null,
    userWords,
    userSentenceCount: userSentences.length,
    talkTimeShare: t.totalWords ? Math.round((userWords / t.totalWords) * 1000) / 1000 : 0,
    interruptions: interruptionSegs.length,
    questionsAsked: questionSentences.length,
    longestMonologueSeconds: longestSeconds === null ? null : Math.round(longestSeconds),
    longestMonologueWords: longest?.words ?? 0,
    fillerRate: userWords ? Math.round((fillers / userWords) * 1000) / 10 : 0,
    wordsPerMinute: kind === 'meeting' ? wordsPerMinute(t, userTurns) : null,
    speakers,
    talkTimeline: timeline(t),
    medianResponseSeconds: median(replies),
  };
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return Math.round(s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2);
}

export function speakerMetrics(t: Transcript): SpeakerMetric[] {
  return t.speakers.map((sp) => {
    const segs = t.segments.filter((_, i) => t.speakerOf[i] === sp);
    const words = segs.reduce((a, s) => a + wordCount(s.text), 0);
    return { speaker: sp, words, segments: segs.length, talkTimeShare: t.totalWords ? Math.round((words / t.totalWords) * 1000) / 1000 : 0 };
  });
}

/**
 * The monologue length the scores use: measured seconds, else the words at a typical pace (a score
 * may rest on an estimate; a reported measurement may not). Chats have no monologues.
 */
export function monologueSecondsForScoring(m: UserMetrics): number {
  if (m.kind === 'chat') return 0;
  return m.longestMonologueSeconds ?? estimatedSeconds(m.longestMonologueWords);
}

/** The public metrics: meeting measures for meetings, chat measures for chats, never both. */
export function publicMetrics(m: UserMetrics): FeedbackMetrics {
  if (m.kind === 'chat') {
    return { kind: 'chat', talkTimeShare: m.talkTimeShare, turns: m.userTurns.length, medianResponseSeconds: m.medianResponseSeconds, speakers: m.speakers };
  }
  return {
    kind: 'meeting',
    talkTimeShare: m.talkTimeShare,
    interruptions: m.interruptions,
    questionsAsked: m.questionsAsked,
    longestMonologueSeconds: m.longestMonologueSeconds,
    longestMonologueWords: m.longestMonologueWords,
    fillerRate: m.fillerRate,
    wordsPerMinute: m.wordsPerMinute,
    speakers: m.speakers,
    talkTimeline: m.talkTimeline,
  };
}
