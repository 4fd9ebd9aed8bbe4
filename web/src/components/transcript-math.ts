// Pure helpers of the transcript view (no DOM): the reference time, parsing "go to" times, and
// talk time per speaker.
import type { Segment } from '../types.js';

/**
 * Elapsed times count from the meeting start, or from the first timed segment when the start is
 * unknown or later than the transcript itself; null when nothing is timed.
 */
export function baseTimeMs(segmentMs: number[], startMs: number): number | null {
  const firstMs = segmentMs.find((m) => !Number.isNaN(m)) ?? NaN;
  if (!Number.isNaN(startMs) && (Number.isNaN(firstMs) || startMs <= firstMs)) return startMs;
  return Number.isNaN(firstMs) ? null : firstMs;
}

/** "12" (minutes), "12:30", "1:05:00" → seconds; null when it is not such a time. */
export function parseElapsed(text: string): number | null {
  const m = /^\s*(\d{1,4})(?::([0-5]?\d))?(?::([0-5]?\d))?\s*$/.exec(text);
  if (!m) return null;
  if (m[3] !== undefined) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  if (m[2] !== undefined) return Number(m[1]) * 60 + Number(m[2]);
  return Number(m[1]) * 60;
}

/** Words per second of ordinary speech: the length given to a turn that nothing follows. */
const WORDS_PER_SECOND = 2.5;
/** A gap longer than this is a pause, not a turn: the turn is counted by its words instead. */
const MAX_TURN_SECONDS = 600;

function words(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}

/**
 * Seconds each speaker talked: a turn lasts until the next segment starts (or, for the last turn
 * and long pauses, as long as its words take to say). Without timestamps, each speaker's word count
 * stands in (`timed: false`).
 */
export function talkTimes(segments: Segment[], segmentMs: number[]): { bySpeaker: Map<string, number>; total: number; timed: boolean } {
  const bySpeaker = new Map<string, number>();
  const timed = segmentMs.some((m) => !Number.isNaN(m));
  let total = 0;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    let amount: number;
    if (!timed) amount = words(s.text);
    else {
      const gap = (segmentMs[i + 1] - segmentMs[i]) / 1000;
      amount = Number.isFinite(gap) && gap >= 0 && gap <= MAX_TURN_SECONDS ? gap : words(s.text) / WORDS_PER_SECOND;
    }
    bySpeaker.set(s.speaker, (bySpeaker.get(s.speaker) ?? 0) + amount);
    total += amount;
  }
  return { bySpeaker, total, timed };
}
