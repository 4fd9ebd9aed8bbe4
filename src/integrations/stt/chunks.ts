import type { TimedSegment } from './reply.js';

// A recording over the provider's upload limit is cut into chunks at silences, each chunk reaching
// a little into its neighbours so no word is cut in half. Each chunk owns the time between its two
// cut points, and a segment is kept only from the chunk that owns its midpoint, so words heard twice
// in an overlap are kept once.

export interface Chunk {
  /** The audio sent: [start, end) seconds of the recording, overlap included. */
  start: number;
  end: number;
  /** The time this chunk answers for: [from, to). */
  from: number;
  to: number;
}

export const OVERLAP_SEC = 1;

/**
 * Cut points near every `maxSec - 2·overlap` seconds, each moved to the middle of the longest
 * silence within a fifth of a chunk before it, so cuts fall between words.
 */
export function planChunks(durationSec: number, silences: Array<[number, number]>, maxSec: number, overlapSec = OVERLAP_SEC): Chunk[] {
  const step = Math.max(1, maxSec - 2 * overlapSec);
  if (durationSec <= maxSec) return [{ start: 0, end: durationSec, from: 0, to: durationSec }];
  const cuts: number[] = [];
  let at = 0;
  while (durationSec - at > step) {
    const ideal = at + step;
    const window = step / 5;
    let best: number | null = null;
    let bestLen = 0;
    for (const [s, e] of silences) {
      const mid = (s + e) / 2;
      if (mid > ideal - window && mid <= ideal && e - s > bestLen) {
        best = mid;
        bestLen = e - s;
      }
    }
    const cut = best ?? ideal;
    cuts.push(cut);
    at = cut;
  }
  const bounds = [0, ...cuts, durationSec];
  return bounds.slice(0, -1).map((from, i) => {
    const to = bounds[i + 1]!;
    return { start: Math.max(0, from - overlapSec), end: Math.min(durationSec, to + overlapSec), from, to };
  });
}

/** Each chunk's segments on the recording's clock, keeping only those centred in the chunk's own time. */
export function stitch(chunks: Chunk[], results: TimedSegment[][]): TimedSegment[] {
  const out: TimedSegment[] = [];
  chunks.forEach((c, i) => {
    const last = i === chunks.length - 1;
    for (const s of results[i] ?? []) {
      const seg = { ...s, startSec: s.startSec + c.start, endSec: s.endSec + c.start };
      const mid = (seg.startSec + seg.endSec) / 2;
      if (mid >= c.from && (mid < c.to || last)) out.push(seg);
    }
  });
  return out.sort((a, b) => a.startSec - b.startSec);
}

/** Runs `fn` over `items` with at most `limit` at once, results in order; the first failure stops new work. */
export async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
