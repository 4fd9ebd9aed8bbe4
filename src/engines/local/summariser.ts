// Extractive sentence selection: centroid-style informativeness (how many of the passage's
// recurring content words a sentence carries) with maximal-marginal-relevance for variety.
import type { Sentence, Transcript } from './transcript.js';
import { cleanSentence, truncateWords, wordCount } from './text.js';

export type Weights = Map<string, number>;

/** log-scaled term frequency of content stems over the given sentences. */
export function termWeights(sentences: Sentence[], idf?: (stem: string) => number): Weights {
  const tf = new Map<string, number>();
  for (const s of sentences) for (const st of s.stems) tf.set(st, (tf.get(st) ?? 0) + 1);
  const w: Weights = new Map();
  for (const [k, v] of tf) if (v > 1 || sentences.length < 8) w.set(k, Math.log(1 + v) * (idf ? idf(k) : 1));
  return w;
}

/** Informativeness of one sentence; short and very long sentences are dampened. */
export function sentenceScore(s: Sentence, w: Weights): number {
  const seen = new Set<string>();
  let sum = 0;
  for (const st of s.stems) {
    if (seen.has(st)) continue;
    seen.add(st);
    sum += w.get(st) ?? 0;
  }
  const len = s.words;
  const lengthFactor = len < 6 ? 0.2 : len < 10 ? 0.7 : len > 60 ? 0.7 : 1;
  return (sum / Math.sqrt(seen.size + 3)) * lengthFactor;
}

function overlap(a: Sentence, b: Sentence): number {
  if (!a.stems.length || !b.stems.length) return 0;
  const sa = new Set(a.stems);
  let n = 0;
  for (const x of new Set(b.stems)) if (sa.has(x)) n++;
  return n / Math.min(sa.size, new Set(b.stems).size);
}

export interface Pick {
  sentence: Sentence;
  text: string;
  score: number;
}

/**
 * Picks up to `maxItems` sentences (or until `budgetWords` of cleaned text) by score, skipping
 * near-duplicates, and returns them in transcript order.
 */
export function selectSentences(
  candidates: Sentence[],
  score: (s: Sentence) => number,
  opts: { budgetWords: number; maxItems?: number; maxWordsEach?: number; minWords?: number; allowQuestions?: boolean; redundancy?: number },
): Pick[] {
  const minWords = opts.minWords ?? 6;
  const scored = candidates
    .filter((s) => (opts.allowQuestions || !s.question) && s.words >= minWords)
    .map((s) => ({ s, v: score(s) }))
    .filter((x) => x.v > 0)
    .sort((a, b) => b.v - a.v || a.s.id - b.s.id);
  const picks: Pick[] = [];
  let used = 0;
  for (const { s, v } of scored) {
    if (opts.maxItems && picks.length >= opts.maxItems) break;
    if (used >= opts.budgetWords) break;
    if (picks.some((p) => overlap(p.sentence, s) > (opts.redundancy ?? 0.6))) continue;
    let text = cleanSentence(s.raw);
    if (wordCount(text) < Math.min(minWords, 4)) continue;
    if (opts.maxWordsEach) text = truncateWords(text, opts.maxWordsEach);
    picks.push({ sentence: s, text, score: v });
    used += wordCount(text);
  }
  return picks.sort((a, b) => a.sentence.id - b.sentence.id);
}

/** In how many sections each stem occurs, for section-specific weighting. */
export function stemDocFreq(t: Transcript, sections: Array<{ start: number; end: number }>): Map<string, number> {
  const df = new Map<string, number>();
  for (const sec of sections) {
    const seen = new Set<string>();
    for (let i = sec.start; i < sec.end; i++) for (const st of t.sentences[i].stems) seen.add(st);
    for (const st of seen) df.set(st, (df.get(st) ?? 0) + 1);
  }
  return df;
}
