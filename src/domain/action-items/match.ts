import type { Evidence } from '../../engines/schemas.js';
import { contentWords, jaccard } from './words.js';

export interface Comparable {
  item: string;
  evidence: Evidence[];
}

// Wording alone must be close; wording that shares the same evidence segments may differ more (the
// engine rephrased the same sentence).
const SAME_WORDING = 0.5;
const SAME_EVIDENCE_WORDING = 0.2;

function segmentsOf(x: Comparable): Set<number> {
  return new Set(x.evidence.map((e) => e.segmentIndex));
}

/**
 * Pairs each regenerated action item with at most one stored item: the one it most resembles by
 * wording (token Jaccard) and evidence (shared segments). Returns, for each incoming item, the
 * index of its stored item or -1.
 */
export function matchItems(incoming: Comparable[], stored: Comparable[]): number[] {
  const inWords = incoming.map((x) => contentWords(x.item));
  const stWords = stored.map((x) => contentWords(x.item));
  const inSegs = incoming.map(segmentsOf);
  const stSegs = stored.map(segmentsOf);
  const pairs: Array<{ i: number; j: number; score: number }> = [];
  for (let i = 0; i < incoming.length; i++) {
    for (let j = 0; j < stored.length; j++) {
      const sim = incoming[i].item.trim().toLowerCase() === stored[j].item.trim().toLowerCase() ? 1 : jaccard(inWords[i], stWords[j]);
      const shared = [...inSegs[i]].some((s) => stSegs[j].has(s));
      if (sim >= SAME_WORDING || (shared && sim >= SAME_EVIDENCE_WORDING)) pairs.push({ i, j, score: sim + (shared ? 0.5 : 0) });
    }
  }
  // Best pairs first; ties keep the original order, so identical lists pair up one to one.
  pairs.sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j);
  const out = incoming.map(() => -1);
  const taken = new Set<number>();
  for (const p of pairs) {
    if (out[p.i] !== -1 || taken.has(p.j)) continue;
    out[p.i] = p.j;
    taken.add(p.j);
  }
  return out;
}
