// Query expansion with word vectors, beside BM25's exact stems: a question about "issues" also
// finds the turns about "problems", one about a "refund" the turns about a "reimbursement". Only
// words the conversation actually uses are added, each weighted below the question's own words
// by how close it is, so an exact match still outranks a paraphrase.
import { stemsOf } from './retrieval.js';
import type { Transcript } from './transcript.js';
import { rowSimilarity, wordVectors } from './word-vectors.js';

/**
 * Least cosine similarity for a word to count as related. GloVe 100d: "issues"~"problems" 0.72,
 * "cost"~"price" 0.73, but "budget"~"proposal" 0.67 and "coming"~"arrive" 0.61.
 */
const RELATED_SIMILARITY = 0.7;
/** Words more frequent than this rank ("time", "get", "think") are related to everything and expand nothing. */
const MIN_RANK = 400;
/** Related words kept per question word. */
const PER_WORD = 3;
/** A related word's weight relative to the question word it stands in for, at similarity 1. */
const RELATED_WEIGHT = 0.4;

export interface RelatedTerms {
  /** Stems the conversation uses that are close to a question word, with their weights. */
  related: Map<string, number>;
  /** Stems of question words that have at least one related word in the conversation. */
  covered: Set<string>;
}

/** Content words (lower case) the conversation uses, with their stems. */
function vocabulary(t: Transcript): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of t.sentences) for (const tok of s.tokens) if (tok.content && !out.has(tok.norm)) out.set(tok.norm, tok.stem);
  return out;
}

/**
 * `words`: the question's content words with their weights; `exact`: the question's stems (never
 * added again). Returns the related stems and which question stems they cover.
 */
export function relatedTerms(t: Transcript, words: Array<{ word: string; weight: number }>, exact: Map<string, number>): RelatedTerms {
  const out: RelatedTerms = { related: new Map(), covered: new Set() };
  const v = wordVectors();
  if (!v || !words.length) return out;
  const targets: Array<{ row: number; stem: string }> = [];
  for (const [norm, stem] of vocabulary(t)) {
    const row = v.rows.get(norm);
    if (row !== undefined && row >= MIN_RANK && !exact.has(stem)) targets.push({ row, stem });
  }
  for (const { word, weight } of words) {
    const row = v.rows.get(word);
    if (row === undefined || row < MIN_RANK) continue;
    const own = stemsOf(word)[0];
    const best = new Map<string, number>();
    for (const x of targets) {
      if (x.stem === own) continue;
      const sim = rowSimilarity(v, row, x.row);
      if (sim >= RELATED_SIMILARITY && sim > (best.get(x.stem) ?? 0)) best.set(x.stem, sim);
    }
    const kept = [...best].sort((a, b) => b[1] - a[1]).slice(0, PER_WORD);
    for (const [stem, sim] of kept) out.related.set(stem, Math.max(out.related.get(stem) ?? 0, weight * sim * RELATED_WEIGHT));
    if (kept.length && own) out.covered.add(own);
  }
  return out;
}
