// BM25 retrieval over short passages (consecutive sentences of ~50 words, so a three-hour hearing
// with 600-word turns and a chat of one-liners are searched at the same grain), with neighbour
// smoothing because the answer to a question usually spans several adjacent turns.
import bm25 from 'wink-bm25-text-search';
import { getWink } from './nlp.js';
import { isContentWord } from './stopwords.js';
import { capLongTokens } from './text.js';
import type { Transcript } from './transcript.js';
import type { ItsFunction } from 'wink-nlp';

export interface Passage {
  id: number;
  /** Sentence ids, consecutive. */
  sentences: number[];
  words: number;
  stems: string[];
}

const PASSAGE_WORDS = 50;

export function buildPassages(t: Transcript): Passage[] {
  const out: Passage[] = [];
  let cur: Passage | null = null;
  for (const s of t.sentences) {
    if (!cur || cur.words >= PASSAGE_WORDS) {
      cur = { id: out.length, sentences: [], words: 0, stems: [] };
      out.push(cur);
    }
    cur.sentences.push(s.id);
    cur.words += s.words;
    cur.stems.push(...s.stems);
  }
  return out;
}

/** Content stems of free text (a query), using the same analysis as the transcript. */
export function stemsOf(text: string): string[] {
  const wink = getWink();
  const its = wink.its;
  const doc = wink.readDoc(capLongTokens(text));
  const col = <T>(f: unknown) => doc.tokens().out(f as ItsFunction<string>) as unknown as T[];
  const norms = col<string>(its.normal);
  const stems = col<string>(its.stem);
  const stop = col<boolean>(its.stopWordFlag);
  const types = col<string>(its.type);
  return stems.filter((_, i) => (types[i] === 'word' || types[i] === 'number') && isContentWord(norms[i], !!stop[i]));
}

/** Stems of every word of `text`, in order (for matching names and phrases, not for scoring). */
export function stemSequence(text: string): string[] {
  const wink = getWink();
  const its = wink.its;
  const doc = wink.readDoc(capLongTokens(text));
  const col = <T>(f: unknown) => doc.tokens().out(f as ItsFunction<string>) as unknown as T[];
  const stems = col<string>(its.stem);
  const types = col<string>(its.type);
  return stems.filter((_, i) => types[i] === 'word' || types[i] === 'number').map((x) => x.toLowerCase());
}

/**
 * Scores every passage against weighted query stems. wink-bm25 needs three documents; shorter
 * conversations fall back to plain term overlap, which is all BM25 would add up to there anyway.
 */
export function scorePassages(passages: Passage[], query: Map<string, number>): number[] {
  const scores = new Array<number>(passages.length).fill(0);
  if (!query.size || !passages.length) return scores;
  if (passages.length < 3) {
    passages.forEach((p, i) => {
      for (const st of p.stems) scores[i] += query.get(st) ?? 0;
    });
    return scores;
  }
  const engine = bm25();
  engine.defineConfig({ fldWeights: { body: 1 }, bm25Params: { k1: 1.2, b: 0.75, k: 1 } });
  // Passages arrive already stemmed; the prep task only has to split them again.
  engine.definePrepTasks([(text: string) => text.split(' ').filter(Boolean)]);
  passages.forEach((p) => engine.addDoc({ body: p.stems.join(' ') || '_' }, p.id));
  engine.consolidate();
  for (const [stem, weight] of query) {
    for (const [id, s] of engine.search(stem, passages.length)) scores[Number(id)] += s * weight;
  }
  return scores;
}

/** Adds half of each neighbour's score, so runs of relevant passages beat isolated hits. */
export function smooth(scores: number[], neighbourWeight = 0.5): number[] {
  return scores.map((v, i) => v + neighbourWeight * ((scores[i - 1] ?? 0) + (scores[i + 1] ?? 0)));
}
