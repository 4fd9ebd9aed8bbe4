// Parts of a long transcript overlap and models restate the same item in different words, so
// merged lists are de-duplicated by word overlap rather than exact text.
const STOP = new Set([
  'a', 'an', 'the', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'by', 'with', 'at', 'is', 'are', 'be', 'will', 'we', 'i', 'it', 'that', 'this', 'from', 'as',
]);

export function keyWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => !STOP.has(w)));
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * Folds each item into the first earlier item it duplicates (per `same`), using `combine`;
 * order of first appearance is kept.
 */
export function dedupe<T>(items: T[], same: (a: T, b: T) => boolean, combine: (kept: T, dup: T) => T): T[] {
  const out: T[] = [];
  for (const item of items) {
    const k = out.findIndex((o) => same(o, item));
    if (k >= 0) out[k] = combine(out[k], item);
    else out.push(item);
  }
  return out;
}

/** Validates "YYYY-MM-DD" as a real calendar day. */
export function isoDateOrNull(v: string | null | undefined): string | null {
  const s = (v ?? '').trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isFinite(d.getTime()) && d.toISOString().slice(0, 10) === s ? s : null;
}

export const clamp = (v: number, lo: number, hi: number) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo);

export const cleanText = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
