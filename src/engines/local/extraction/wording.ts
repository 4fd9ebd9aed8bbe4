// Content-word overlap between two phrasings, used to tell repeats and recaps of one item apart
// from different items said close together.
import { words } from '../text.js';

const STOP = new Set(
  `a an the to of and or for on in at by with be will is are was it this that we i you they he she our your their us them do does did have
  has had can could would should shall going gonna go get got make just so um uh like yeah okay ok well then there here about into up out
  not no yes me my let's let need want think really also all some one`.split(/\s+/),
);

export function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOP.has(w) && w.length > 1);
}

/** F1 of shared content words (with multiplicity), 0 when either side has none. */
export function overlap(a: string, b: string): number {
  const A = contentWords(a);
  const B = contentWords(b);
  if (!A.length || !B.length) return 0;
  const counts = new Map<string, number>();
  for (const w of B) counts.set(w, (counts.get(w) ?? 0) + 1);
  let hit = 0;
  for (const w of A) {
    const n = counts.get(w) ?? 0;
    if (n) {
      hit++;
      counts.set(w, n - 1);
    }
  }
  if (!hit) return 0;
  const p = hit / A.length;
  const r = hit / B.length;
  return (2 * p * r) / (p + r);
}
