// Reads a conversation once with wink (sentences, POS, stems) and keeps everything later steps
// need, with character offsets so any sentence can be quoted verbatim as evidence.
import type { Evidence } from '../schemas.js';
import type { EngineConversation, Segment } from '../types.js';
import type { ItemSentence, ItsFunction } from 'wink-nlp';
import { getWink } from './nlp.js';
import { isContentWord } from './stopwords.js';
import { capLongTokens, wordCount } from './text.js';

export interface Token {
  /** Surface form as written. */
  value: string;
  /** Lower-cased surface form. */
  norm: string;
  stem: string;
  pos: string;
  content: boolean;
}

export interface Sentence {
  /** Position in `Transcript.sentences`. */
  id: number;
  /** Position in `Transcript.segments` (not necessarily `Segment.index`). */
  seg: number;
  start: number;
  end: number;
  /** Verbatim substring of the segment's text. */
  raw: string;
  speaker: string;
  words: number;
  tokens: Token[];
  /** Content-word stems, for similarity and retrieval. */
  stems: string[];
  question: boolean;
}

export interface Transcript {
  conv: EngineConversation;
  segments: Segment[];
  sentences: Sentence[];
  /** Sentence ids of each segment, by segment position. */
  segSentences: number[][];
  /** Canonical speaker name of each segment, by position. */
  speakerOf: string[];
  /** Words spoken before each segment starts (for elapsed-time estimates). */
  wordsBefore: number[];
  totalWords: number;
  /** Distinct canonical speakers in order of first appearance. */
  speakers: string[];
}

/**
 * Speaker labels often carry a role or constituency in parentheses and appear both with and
 * without it ("Jane Doe (Minister)" and "Jane Doe"); both are one person.
 */
export function canonicalSpeaker(label: string): string {
  const base = label.replace(/\s*\([^)]*\)\s*/g, ' ').replace(/\s+/g, ' ').trim();
  return base || label.trim() || 'Speaker';
}

const SEPARATOR = '\n\n';

export function prepareTranscript(original: EngineConversation): Transcript {
  // Everything downstream (wink, stemming, the rule-based steps) reads the capped text.
  const segments = original.segments.map((s) => ({ ...s, text: capLongTokens(s.text) }));
  const conv = { ...original, segments };
  const wink = getWink();
  const its = wink.its;
  const offsets: number[] = [];
  let joined = '';
  segments.forEach((s, i) => {
    if (i) joined += SEPARATOR;
    offsets.push(joined.length);
    // Internal blank lines would read as segment breaks; a same-length replacement keeps offsets valid.
    joined += s.text.replace(/\n(?=\n)/g, ' ');
  });

  const speakerOf = segments.map((s) => canonicalSpeaker(s.speaker || 'Speaker'));
  const speakers: string[] = [];
  for (const canon of speakerOf) {
    if (!speakers.includes(canon)) speakers.push(canon);
  }

  const sentences: Sentence[] = [];
  const segSentences: number[][] = segments.map(() => []);
  if (!joined.trim()) {
    return { conv, segments, sentences: [], segSentences, speakerOf, wordsBefore: segments.map(() => 0), totalWords: 0, speakers };
  }
  const doc = wink.readDoc(joined);
  // Whole-document arrays are several times faster than asking each sentence separately.
  const all = doc.tokens();
  // wink's typings reject some of its own `its` helpers; the runtime contract is an array per helper.
  const column = <T>(f: unknown) => all.out(f as ItsFunction<string>) as unknown as T[];
  const values = column<string>(its.value);
  const norms = column<string>(its.normal);
  const stems = column<string>(its.stem);
  const pos = column<string>(its.pos);
  const stop = column<boolean>(its.stopWordFlag);
  const types = column<string>(its.type);
  let cursor = 0;
  let segPos = 0;
  let tok = 0;
  doc.sentences().each((sent: ItemSentence) => {
    const text = sent.out();
    const count = sent.tokens().length();
    const first = tok;
    tok += count;
    let at = joined.indexOf(text, cursor);
    if (at < 0) at = cursor;
    const endAt = Math.min(at + text.length, joined.length);
    cursor = endAt;
    while (segPos + 1 < segments.length && offsets[segPos + 1] <= at) segPos++;
    const segStart = offsets[segPos];
    const segText = segments[segPos].text;
    const start = Math.max(0, at - segStart);
    const end = Math.min(segText.length, endAt - segStart);
    if (end <= start) return;
    const raw = segText.slice(start, end);
    const tokens: Token[] = [];
    for (let k = first; k < first + count; k++) {
      tokens.push({
        value: values[k],
        norm: norms[k],
        stem: stems[k],
        pos: pos[k],
        content: (types[k] === 'word' || types[k] === 'number') && isContentWord(norms[k], !!stop[k]),
      });
    }
    const s: Sentence = {
      id: sentences.length,
      seg: segPos,
      start,
      end,
      raw,
      speaker: speakerOf[segPos],
      words: wordCount(raw),
      tokens,
      stems: tokens.filter((x) => x.content).map((x) => x.stem),
      question: /\?\s*$/.test(raw),
    };
    sentences.push(s);
    segSentences[segPos].push(s.id);
  });

  const wordsBefore: number[] = [];
  let total = 0;
  for (let i = 0; i < segments.length; i++) {
    wordsBefore.push(total);
    total += wordCount(segments[i].text);
  }
  return { conv, segments, sentences, segSentences, speakerOf, wordsBefore, totalWords: total, speakers };
}

/** Evidence for a sentence: its verbatim text (trimmed to ≤ 300 chars at a word boundary). */
export function sentenceEvidence(t: Transcript, s: Sentence): Evidence {
  let quote = s.raw.trim();
  if (quote.length > 300) quote = quote.slice(0, quote.lastIndexOf(' ', 300) > 0 ? quote.lastIndexOf(' ', 300) : 300);
  return { segmentIndex: t.segments[s.seg].index, quote };
}

/** Time span of the conversation in minutes, when timestamps allow it. */
export function durationMinutes(t: Transcript): number | null {
  const times = t.segments.map((s) => (s.timestamp ? Date.parse(s.timestamp) : NaN)).filter((x) => Number.isFinite(x));
  if (times.length < 2) return null;
  const span = (Math.max(...times) - Math.min(...times)) / 60000;
  // The last segment's own length is unknown; estimate it at 150 wpm.
  const lastWords = wordCount(t.segments[t.segments.length - 1].text);
  return Math.round((span + lastWords / 150) * 10) / 10;
}

/**
 * "HH:MM" of the segment's own time when the transcript is timed (UTC, so output does not
 * depend on the server's zone), else elapsed "MM:SS" estimated from words spoken at 150 wpm.
 */
export function segmentClock(t: Transcript, segPos: number): string {
  const ts = t.segments[segPos]?.timestamp;
  const ms = ts ? Date.parse(ts) : NaN;
  if (Number.isFinite(ms)) {
    const d = new Date(ms);
    return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  }
  const seconds = Math.round((t.wordsBefore[segPos] ?? 0) / 2.5);
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The conversation's reference time for relative dates. */
export function referenceTime(t: Transcript): Date | null {
  const candidates = [t.conv.startTime, ...t.segments.slice(0, 1).map((s) => s.timestamp)];
  for (const c of candidates) {
    const ms = c ? Date.parse(c) : NaN;
    if (Number.isFinite(ms)) return new Date(ms);
  }
  return null;
}

const casings = new WeakMap<Transcript, { names: Set<string>; lower: Set<string> }>();

/**
 * `names`: words the conversation writes as names, capitalised past the start of a sentence and
 * never in lower case ("Aisha", "Greene"); `lower`: every word it writes in lower case.
 */
export function casing(t: Transcript): { names: Set<string>; lower: Set<string> } {
  const known = casings.get(t);
  if (known) return known;
  const lower = new Set<string>();
  const capital = new Set<string>();
  for (const s of t.sentences) {
    // The first word of a sentence is capitalised whatever it is (tokens may open with the line break).
    const first = s.tokens.findIndex((tok) => /\w/.test(tok.value));
    s.tokens.forEach((tok, i) => {
      if (/^[a-z]/.test(tok.value)) lower.add(tok.value);
      else if (i > first && /^[A-Z][a-z]/.test(tok.value)) capital.add(tok.value);
    });
  }
  for (const speaker of t.speakers) for (const w of speaker.split(/\s+/)) if (/^[A-Z][a-z]/.test(w)) capital.add(w);
  const out = { names: new Set([...capital].filter((w) => !lower.has(w.toLowerCase()))), lower };
  casings.set(t, out);
  return out;
}
