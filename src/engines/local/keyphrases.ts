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

/**
 * Single words that never name a topic on their own: interjections, fillers, transcription
 * sound tags ("[clap]", "laughter"), and bare time units or calendar words.
 */
const WEAK_SINGLE = new Set([
  'um', 'uh', 'uhm', 'hmm', 'mm', 'mhm', 'mmm', 'ah', 'oh', 'eh', 'er', 'erm', 'huh', 'wow', 'yeah', 'yep', 'yes', 'no', 'nope', 'okay', 'ok', 'alright', 'right', 'well', 'hey', 'hi', 'hello', 'bye', 'thanks', 'thank', 'sorry', 'please', 'like', 'stuff', 'thing', 'things', 'something', 'anything', 'everything', 'nothing', 'bit', 'lot', 'lots', 'kind', 'sort', 'way', 'guy', 'guys', 'people', 'person', 'everyone', 'everybody', 'idea', 'question', 'point', 'part', 'case', 'fact', 'problem', 'issue',
  'clap', 'claps', 'clapping', 'applause', 'laugh', 'laughs', 'laughter', 'laughing', 'cough', 'coughs', 'noise', 'noises', 'sound', 'sounds', 'music', 'silence', 'pause', 'inaudible', 'crosstalk', 'vocalsound', 'disfmarker', 'gap', 'beep', 'mic', 'microphone',
  'time', 'times', 'minute', 'minutes', 'second', 'seconds', 'hour', 'hours', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'today', 'tomorrow', 'yesterday', 'morning', 'afternoon', 'evening', 'tonight',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
]);

/** Days, months and times of day: when something happens, never what a stretch of talk is about. */
const WHEN_WORDS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'today', 'tomorrow', 'yesterday', 'tonight', 'morning', 'afternoon', 'evening', 'eod']);

/**
 * Whether a phrase may stand as a heading: never a lone filler, sound or calendar word, nor a
 * phrase that carries a day or time ("Regression Friday Afternoon", "Verbal Wednesday").
 */
export function isHeadingWorthy(p: Pick<Phrase, 'text'>): boolean {
  const words = p.text.split(' ');
  if (words.every((w) => WEAK_SINGLE.has(w))) return false;
  if (words.length > 1 && words.some((w) => WHEN_WORDS.has(w))) return false;
  return words.length > 1 || !WEAK_SINGLE.has(words[0]);
}

/**
 * A heading for a stretch of conversation from the key phrases that best cover its points
 * (`pointIds`: sentence ids of the chosen points). Phrases of two to four words are preferred
 * over single words; a lone filler or sound word is never used. With no usable phrase, falls
 * back to a noun phrase from the first point (`pointSentences[0]`).
 */
export function sectionHeading(
  ranked: RankedPhrase[],
  pointIds: number[],
  opts: { exclude?: Set<string>; avoid?: Set<string>; pointSentences?: Sentence[] } = {},
): string {
  const exclude = opts.exclude ?? new Set<string>();
  const avoid = opts.avoid ?? new Set<string>();
  const points = new Set(pointIds);
  const usable = ranked.filter((p) => isHeadingWorthy(p) && !avoid.has(titleCase(p.text)) && !p.key.split(' ').some((k) => exclude.has(k)));
  const scored = usable
    .map((p) => {
      const covered = p.sentences.filter((id) => points.has(id)).length;
      const coverage = points.size ? covered / points.size : 0;
      const words = p.text.split(' ').length;
      // Said once and not in any point: incidental.
      const support = p.count >= 2 || covered > 0 ? 1 : 0.3;
      const shape = words >= 2 && words <= 4 ? 1.6 : 1;
      return { p, covered, value: p.score * (1 + 2 * coverage) * shape * support };
    })
    .sort((a, b) => b.value - a.value || a.p.key.localeCompare(b.p.key));
  const first = scored[0];
  if (first && (first.covered > 0 || first.p.count >= 2)) {
    if (first.p.text.split(' ').length === 1) {
      // Two short phrases read better than one bare word: "Vendor and Regression".
      const used = new Set(first.p.key.split(' '));
      const second = scored.find((x) => x !== first && x.p.text.split(' ').length <= 2 && !x.p.key.split(' ').some((k) => used.has(k)));
      if (second && second.value > first.value * 0.5 && (second.p.count >= 2 || second.covered > 0)) return titleCase(`${first.p.text} and ${second.p.text}`);
    }
    return titleCase(first.p.text);
  }
  const fromPoint = (opts.pointSentences ?? []).flatMap((s) => candidatePhrases([s])).filter((p) => isHeadingWorthy(p) && !avoid.has(titleCase(p.text)));
  const best = fromPoint.sort((a, b) => Math.min(4, b.text.split(' ').length) - Math.min(4, a.text.split(' ').length))[0];
  if (best) return titleCase(best.text);
  return first ? titleCase(first.p.text) : 'General Discussion';
}

const ROLE_NOUNS = new Set(['expert', 'designer', 'manager', 'lead', 'chair', 'chairman', 'host', 'speaker', 'member', 'engineer', 'director', 'analyst', 'owner', 'representative', 'person', 'team']);

/**
 * Drops phrases made only of speaker labels and role nouns ("Marketing Expert", "Project
 * Manager"): they name who talked, not what about.
 */
export function withoutSpeakerLabels(ranked: RankedPhrase[], speakers: string[]): RankedPhrase[] {
  const labelWords = new Set(speakers.flatMap((s) => s.toLowerCase().split(/[^a-z]+/).filter(Boolean)));
  return ranked.filter((p) => !p.text.split(' ').every((w) => labelWords.has(w) || ROLE_NOUNS.has(w)));
}
