// What a transcript's timestamps can be trusted for. Chat logs created without timestamps are
// stamped with one shared time, and some imports repeat a cue's time on every line; durations,
// overlaps and response times computed from such stamps would be artefacts, not measurements.
import type { Segment } from '../types.js';

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
