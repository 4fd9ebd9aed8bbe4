import type { ActionItemRow } from '../../db/repos/action-items.js';
import type { Segment } from '../segment.js';
import type { Mention } from './present.js';
import { distinctiveWords, saysFinished, words } from './words.js';

/** At most this many open items (the most recent) are looked for in each new conversation. */
export const MENTION_CANDIDATES = 500;
/** A segment mentions an item when it says this many of the item's distinctive words. */
const SHARED_WORDS = 2;
const MENTIONS_PER_CONVERSATION = 3;
const QUOTE_CHARS = 200;

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?;])\s+/).filter(Boolean);
}

/**
 * Which of `items` the segments of one conversation mention: those saying at least two of an item's
 * distinctive words (its object: "handover doc", "SOC report"), best segments first. Each mention
 * records whether its sentence says the work is finished. Segments are indexed by word once, so the
 * cost grows with the words of the items, not items × segments.
 */
export function findMentions(items: ActionItemRow[], conversationId: string, segments: Segment[]): Map<string, Mention[]> {
  const index = new Map<string, number[]>();
  for (const [pos, s] of segments.entries()) {
    for (const w of new Set(words(s.text))) {
      let list = index.get(w);
      if (!list) index.set(w, (list = []));
      list.push(pos);
    }
  }
  const out = new Map<string, Mention[]>();
  for (const item of items) {
    const wanted = distinctiveWords(item.item);
    if (wanted.size < SHARED_WORDS) continue;
    const hits = new Map<number, string[]>();
    for (const w of wanted) for (const pos of index.get(w) ?? []) hits.set(pos, [...(hits.get(pos) ?? []), w]);
    const best = [...hits.entries()]
      .filter(([, ws]) => ws.length >= SHARED_WORDS)
      .sort((a, b) => b[1].length - a[1].length || a[0] - b[0])
      .slice(0, MENTIONS_PER_CONVERSATION);
    if (!best.length) continue;
    out.set(
      item.id,
      best
        .sort((a, b) => a[0] - b[0])
        .map(([pos, ws]) => {
          const seg = segments[pos];
          // The sentence that names the item decides: "I finished the export. Still waiting on the SOC report."
          const about = sentences(seg.text).filter((s) => ws.some((w) => words(s).includes(w)));
          return { conversationId, segmentIndex: seg.index, quote: seg.text.slice(0, QUOTE_CHARS), suggestsDone: about.some(saysFinished) };
        }),
    );
  }
  return out;
}
