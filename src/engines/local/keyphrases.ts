// Key phrases: noun-phrase chunks (from wink's POS tags) scored with RAKE's degree/frequency
// word scores (rake-modified) and weighted by how specific they are to the part of the
// conversation being described, so a heading names what that part is about.
import { calculateWordScores } from 'rake-modified';
import type { Sentence } from './transcript.js';
import { titleCase } from './text.js';

const NOUNISH = new Set(['NOUN', 'PROPN']);
const MODIFIER = new Set(['ADJ', 'NOUN', 'PROPN', 'NUM']);
/** Adjectives that are almost never part of a topic's name. */
const WEAK_ADJ = new Set(['good', 'great', 'nice', 'big', 'little', 'small', 'other', 'same', 'different', 'new', 'old', 'whole', 'next', 'last', 'first', 'second', 'sure', 'important', 'right', 'wrong', 'able', 'certain', 'many', 'much', 'few', 'own', 'real', 'main', 'bad', 'better', 'best', 'general', 'specific', 'particular', 'possible', 'interesting', 'okay', 'fine', 'hard', 'easy', 'high', 'low', 'long', 'short']);

export interface Phrase {
  text: string;
  /** Every word was tagged as a proper noun. */
  properNoun: boolean;
  /** Stem key used to merge variants ("remote controls" / "remote control"). */
  key: string;
  count: number;
  sentences: number[];
}

/** Cut-off words ("cha channel", "th the") must not end up in a heading. */
function isCutOff(toks: Sentence['tokens'], i: number): boolean {
  const w = toks[i].norm;
  if (!/[aeiouy]/.test(w)) return true;
  // Restarts land within a few words: "cha ch channel", "current chan, the channels".
  const reach = w.length <= 4 ? 4 : 1;
  for (let k = i + 1; k <= Math.min(toks.length - 1, i + reach); k++) {
    const next = toks[k].norm;
    if (next.length > w.length && next.startsWith(w)) return true;
  }
  return false;
}

/** Noun-phrase chunks of one to four content words ending in a noun. */
export function candidatePhrases(sentences: Sentence[]): Phrase[] {
  const byKey = new Map<string, Phrase>();
  for (const s of sentences) {
    const toks = s.tokens.map((t, i) => (t.content && isCutOff(s.tokens, i) ? { ...t, content: false } : t));
    let i = 0;
    while (i < toks.length) {
      if (!MODIFIER.has(toks[i].pos) || !toks[i].content) {
        i++;
        continue;
      }
      let j = i;
      while (j < toks.length && MODIFIER.has(toks[j].pos) && toks[j].content && j - i < 4) j++;
      // Trim to end on a noun and start past weak adjectives.
      let end = j;
      while (end > i && !NOUNISH.has(toks[end - 1].pos)) end--;
      let start = i;
      while (start < end && (WEAK_ADJ.has(toks[start].norm) || toks[start].pos === 'NUM')) start++;
      if (end > start) {
        const span = toks.slice(start, end);
        const text = span.map((x) => x.norm).join(' ');
        const key = span.map((x) => x.stem).join(' ');
        if (/[a-z]{3}/.test(text)) {
          const p = byKey.get(key) ?? { text, key, count: 0, sentences: [], properNoun: span.every((x) => x.pos === 'PROPN') };
          p.count++;
          if (p.sentences[p.sentences.length - 1] !== s.id) p.sentences.push(s.id);
          byKey.set(key, p);
        }
      }
      i = Math.max(j, i + 1);
    }
  }
  return [...byKey.values()];
}

export interface RankedPhrase extends Phrase {
  score: number;
}

/**
 * Ranks the phrases of `sentences`. `docFreq` (how many sections of the conversation use a stem)
 * and `sectionCount` let phrases that are everywhere ("remote control" in a remote-control
 * meeting) lose to the phrases that make this part distinct.
 */
export function rankPhrases(sentences: Sentence[], opts: { docFreq?: Map<string, number>; sectionCount?: number } = {}): RankedPhrase[] {
  const phrases = candidatePhrases(sentences);
  if (!phrases.length) return [];
  const list: string[] = [];
  for (const p of phrases) for (let c = 0; c < p.count; c++) list.push(p.key);
  const wordScores = calculateWordScores(list);
  const sections = opts.sectionCount ?? 1;
  return phrases
    .map((p) => {
      const stems = p.key.split(' ');
      const rake = stems.reduce((a, w) => a + (wordScores[w] ?? 1), 0);
      const idf = opts.docFreq ? stems.reduce((a, w) => a + Math.log(1 + sections / (opts.docFreq!.get(w) ?? 1)), 0) / stems.length : 1;
      // A phrase said once is usually incidental; repetition is the signal in speech. Names of
      // people make poor headings ("Sammy Benjo"), so proper-noun-only phrases weigh less.
      const score = Math.log(1 + p.count) * rake * idf * (stems.length > 1 ? 1.2 : 1) * (p.properNoun ? 0.4 : 1);
      return { ...p, score };
    })
    .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
}

/** Picks the top phrases, skipping ones that repeat a word of an already chosen phrase. */
export function topPhrases(ranked: RankedPhrase[], n: number, exclude: Set<string> = new Set()): RankedPhrase[] {
  const out: RankedPhrase[] = [];
  const used = new Set(exclude);
  for (const p of ranked) {
    const stems = p.key.split(' ');
    if (stems.some((s) => used.has(s))) continue;
    out.push(p);
    stems.forEach((s) => used.add(s));
    if (out.length >= n) break;
  }
  return out;
}

/** A short, title-cased heading from the best one or two phrases. */
export function headingFrom(ranked: RankedPhrase[], exclude: Set<string> = new Set()): string {
  // Something said once is rarely what a stretch of conversation is about.
  const repeated = ranked.filter((p) => p.count >= 2);
  const top = topPhrases(repeated.length ? repeated : ranked, 2, exclude);
  if (!top.length) return 'General Discussion';
  const first = top[0];
  const words = first.text.split(' ').length;
  if (top[1] && words <= 2 && top[1].text.split(' ').length <= 2 && top[1].score > first.score * 0.5 && top[1].count >= 2) {
    return titleCase(`${first.text} and ${top[1].text}`);
  }
  return titleCase(first.text);
}
