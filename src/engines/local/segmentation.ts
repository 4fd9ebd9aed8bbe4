// Topic segmentation in the TextTiling tradition (Hearst 1997): lexical cohesion between the
// windows left and right of each gap drops where the topic changes. Works on sentence blocks
// of ~40 words so it behaves the same for chats, short meetings and three-hour hearings.
import type { Transcript } from './transcript.js';

export interface Section {
  /** First sentence id (inclusive). */
  start: number;
  /** Last sentence id + 1. */
  end: number;
}

interface Block {
  firstSentence: number;
  counts: Map<string, number>;
  words: number;
}

function buildBlocks(t: Transcript, targetWords: number): Block[] {
  const blocks: Block[] = [];
  let cur: Block | null = null;
  for (const s of t.sentences) {
    if (!cur || cur.words >= targetWords) {
      cur = { firstSentence: s.id, counts: new Map(), words: 0 };
      blocks.push(cur);
    }
    for (const st of s.stems) cur.counts.set(st, (cur.counts.get(st) ?? 0) + 1);
    cur.words += s.words;
  }
  return blocks;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    const w = b.get(k);
    if (w) dot += v * w;
  }
  for (const v of b.values()) nb += v * v;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

function windowCounts(blocks: Block[], from: number, to: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = Math.max(0, from); i < Math.min(blocks.length, to); i++) for (const [k, v] of blocks[i].counts) m.set(k, (m.get(k) ?? 0) + v);
  return m;
}

/** How much deeper than the mean valley (in standard deviations) a topic shift must be. */
const DEPTH_SD = 1;

/** How many sections a conversation of this length may get: about √(words/100), 1–6 (annotated meetings rarely have more topics). */
export function targetSectionCount(totalWords: number): number {
  return Math.max(1, Math.min(6, Math.round(Math.sqrt(totalWords / 100))));
}

export function segmentTopics(t: Transcript, opts: { maxSections?: number } = {}): Section[] {
  const n = t.sentences.length;
  if (!n) return [];
  const maxSections = opts.maxSections ?? targetSectionCount(t.totalWords);
  const blocks = buildBlocks(t, 40);
  if (maxSections <= 1 || blocks.length < 6) return [{ start: 0, end: n }];

  const k = Math.max(2, Math.min(8, Math.round(blocks.length / (maxSections * 2))));
  const gaps: number[] = [];
  for (let g = 1; g < blocks.length; g++) gaps.push(cosine(windowCounts(blocks, g - k, g), windowCounts(blocks, g, g + k)));
  // Light smoothing keeps single noisy blocks from creating boundaries.
  const smooth = gaps.map((_, i) => {
    const a = gaps[i - 1] ?? gaps[i];
    const c = gaps[i + 1] ?? gaps[i];
    return (a + 2 * gaps[i] + c) / 4;
  });
  const depth = smooth.map((v, i) => {
    let l = v;
    for (let j = i - 1; j >= 0 && smooth[j] >= l; j--) l = smooth[j];
    let r = v;
    for (let j = i + 1; j < smooth.length && smooth[j] >= r; j++) r = smooth[j];
    return l - v + (r - v);
  });

  const minBlocks = Math.max(2, Math.floor(blocks.length / (maxSections * 2)));
  const order = depth.map((d, i) => ({ d, gap: i + 1 })).sort((a, b) => b.d - a.d || a.gap - b.gap);
  const mean = depth.reduce((a, b) => a + b, 0) / depth.length;
  const sd = Math.sqrt(depth.reduce((a, b) => a + (b - mean) ** 2, 0) / depth.length);
  // TextTiling's cut-off: only valleys clearly deeper than usual are topic shifts.
  const cutoff = mean + DEPTH_SD * sd;
  const chosen: number[] = [];
  for (const { d, gap } of order) {
    if (chosen.length >= maxSections - 1) break;
    if (d <= cutoff || d <= 0) break;
    if (gap < minBlocks || blocks.length - gap < minBlocks) continue;
    if (chosen.some((c) => Math.abs(c - gap) < minBlocks)) continue;
    chosen.push(gap);
  }
  chosen.sort((a, b) => a - b);

  // Boundaries move to the nearest turn start so a section never splits someone's turn.
  const starts = chosen.map((gap) => snapToTurn(t, blocks[gap].firstSentence));
  const uniq = [...new Set(starts)].filter((s) => s > 0 && s < n).sort((a, b) => a - b);
  const sections: Section[] = [];
  let prev = 0;
  for (const s of uniq) {
    sections.push({ start: prev, end: s });
    prev = s;
  }
  sections.push({ start: prev, end: n });
  return sections;
}

function snapToTurn(t: Transcript, sentenceId: number): number {
  const s = t.sentences[sentenceId];
  const first = t.segSentences[s.seg][0];
  const next = t.segSentences.slice(s.seg + 1).find((x) => x.length)?.[0];
  if (next === undefined) return first;
  return sentenceId - first <= next - sentenceId ? first : next;
}
