// What a transcript's timestamps can be trusted for, and talk time per speaker. Chat logs created
// without timestamps are stamped with one shared time, and some imports repeat a cue's time on
// every line; durations, overlaps and response times computed from such stamps would be
// artefacts, not measurements.
import type { Segment } from '../segment.js';

const at = (s: Segment | undefined) => (s?.timestamp ? Date.parse(s.timestamp) : NaN);

/** True when most consecutive segments carry distinct, increasing timestamps. */
export function usableTimestamps(segments: readonly Segment[]): boolean {
  if (segments.length < 2) return false;
  let forward = 0;
  for (let i = 1; i < segments.length; i++) {
    const a = at(segments[i - 1]);
    const b = at(segments[i]);
    if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
    if (b > a) forward++;
  }
  return forward >= (segments.length - 1) * 0.8;
}

/**
 * Seconds from the end of each turn of `isAsker` (its last message) to the other side's first
 * reply; empty without usable timestamps.
 */
export function responseTimes(segments: readonly Segment[], isAsker: (i: number) => boolean): number[] {
  if (!usableTimestamps(segments)) return [];
  const out: number[] = [];
  for (let i = 0; i + 1 < segments.length; i++) {
    if (!isAsker(i) || isAsker(i + 1)) continue;
    const gap = (at(segments[i + 1]) - at(segments[i])) / 1000;
    if (gap >= 0) out.push(gap);
  }
  return out;
}

export interface SpeakerStat {
  name: string;
  segments: number;
  words: number;
  /** Speaking time by the timestamps (meetings with real timing), else null. */
  talkTimeSeconds: number | null;
  /** Fraction 0..1 of all words. */
  share: number;
}

const WORDS_PER_MINUTE = 150;
const wordsIn = (text: string) => (text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).length;

/**
 * Words, segments and talk time per speaker, in order of first appearance. A segment lasts until
 * the next one starts, capped at twice what its words need (a pause is not speech); the last one
 * lasts what its words need at 150 words a minute. Typed chats and untimed transcripts have
 * no talk time.
 */
export function speakerStats(segments: readonly Segment[], kind: 'meeting' | 'chat'): SpeakerStat[] {
  const timed = kind === 'meeting' && usableTimestamps(segments);
  const by = new Map<string, { segments: number; words: number; seconds: number }>();
  let total = 0;
  segments.forEach((s, i) => {
    const words = wordsIn(s.text);
    total += words;
    const need = (words / WORDS_PER_MINUTE) * 60;
    const gap = i + 1 < segments.length ? (at(segments[i + 1]) - at(s)) / 1000 : NaN;
    const seconds = Number.isFinite(gap) && gap >= 0 ? Math.min(gap, need * 2 + 5) : need;
    const e = by.get(s.speaker) ?? { segments: 0, words: 0, seconds: 0 };
    e.segments++;
    e.words += words;
    e.seconds += seconds;
    by.set(s.speaker, e);
  });
  return [...by.entries()].map(([name, e]) => ({
    name,
    segments: e.segments,
    words: e.words,
    talkTimeSeconds: timed ? Math.round(e.seconds) : null,
    share: total ? Math.round((e.words / total) * 1000) / 1000 : 0,
  }));
}
