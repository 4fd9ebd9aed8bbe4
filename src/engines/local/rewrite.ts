// Rewrites a spoken sentence as a note a person would write: fillers, hedges and false starts
// removed (cleanSentence), then first person turned into third for a known speaker ("I'll send
// it" said by Aisha → "Aisha will send it"), so a point can stand on its own outside the call.
import type { ItsFunction } from 'wink-nlp';
import { getWink } from './nlp.js';
import { isGenericSpeaker } from './participants.js';
import { toThirdPerson } from './reported-speech.js';
import { capitalise, cleanSentence, wordCount } from './text.js';
import type { Sentence, Token, Transcript } from './transcript.js';

/** Job titles and roles: a speaker labelled with one is "the Project Manager", not a name. */
const ROLE_WORDS = /\b(?:manager|designer|chair|chairman|chairperson|host|moderator|interviewer|interviewee|candidate|recruiter|facilitator|presenter|lead|engineer|director|analyst|representative|rep|owner|officer|minister|professor|grad|phd|postdoc|student|teacher|doctor|nurse|patient|caller|operator)\b/i;

/**
 * How the notes refer to a speaker, or null when the label says nothing about who they are
 * ("Speaker 2", "A"), in which case first person is left as it was said.
 */
export function speakerReference(speaker: string): string | null {
  const s = speaker.trim();
  if (/^(?:user|human|customer)$/i.test(s)) return 'the customer';
  if (/^(?:assistant|ai|agent|bot)$/i.test(s)) return 'the assistant';
  if (/^#?person\s*\d+#?$/i.test(s)) return s;
  if (isGenericSpeaker(s) || s.length < 2 || /^speaker\b/i.test(s)) return null;
  // "The Chair", "Hon. Bill Morneau": already a full reference.
  if (/^the\s/i.test(s)) return `the ${s.slice(4)}`;
  if (ROLE_WORDS.test(s) && !/^(?:mr|mrs|ms|dr|hon|right hon)\b/i.test(s)) return `the ${s}`;
  return s;
}

/** Tokens of free text in the shape toThirdPerson reads (surface, lower-case form, POS). */
function tokensOf(text: string): Token[] {
  const wink = getWink();
  const its = wink.its;
  const doc = wink.readDoc(text);
  const col = <T>(f: unknown) => doc.tokens().out(f as ItsFunction<string>) as unknown as T[];
  const values = col<string>(its.value);
  const norms = col<string>(its.normal);
  const pos = col<string>(its.pos);
  return values.map((value, i) => ({ value, norm: norms[i], pos: pos[i], stem: '', content: false }));
}

/** Hedges and mid-sentence fillers cleanSentence leaves because they can carry meaning elsewhere. */
function dropHedges(text: string): string {
  return text
    // A word or two abandoned before an interjection is a false start: "You yeah, oh yeah I…".
    .replace(/^(?:[A-Za-z']+\s+){0,2}?(?:oh\s+)?(?:yeah|yes|oh|okay|right)\s*,\s*(?:oh\s+)?(?:yeah|yes|okay)?\s*/i, '')
    .replace(/,\s*(?:oh\s+)?(?:yeah|oh)\s*,/gi, ',')
    // "I mean" inside a clause is a filler; "what I mean is" is not.
    .replace(/(?<!\bwhat\s)\bi mean,?\s+(?=(?:we|i|you|they|it|that|there|the|a)\b)/gi, '')
    // A phrase said twice while restarting: "we can aim for we can aim for".
    .replace(/\b((?:[\w'’]+\s+){2,6})\1/gi, '$1')
    // A restarted clause: "you're you'll be", "we've we will".
    .replace(/\b(i|you|we|they|he|she|it)(?:['’][a-z]+)?\s+(?=\1\b)/gi, '')
    .replace(/,\s*(?:i mean|you know|you see|like|sort of|kind of)\s*,/gi, ',')
    .replace(/([,;]\s*)(?:i mean|you know)\s+/gi, '$1')
    .replace(/\b(?:sort of|kind of)\s+(?=(?:a|an|the|like|just|really|very|[a-z]+(?:ing|ed|ly))\b)/gi, '')
    .replace(/\b(?:just|actually|really|basically|obviously|probably)\s+(?=(?:a|an|the|just)\b)/gi, '')
    .replace(/\s{2,}/g, ' ');
}

export interface Voice {
  /** Whom second person refers to; null in multi-party talk, where "you" stays as said. */
  addressee: string | null;
  /** How "we" is rendered. */
  group: string;
}

/** The voice of a conversation's notes: two people talk to each other, more address a group. */
export function notesVoice(t: Transcript): Voice {
  const group = t.conv.kind === 'chat' ? 'they' : 'the team';
  return { addressee: null, group };
}

/**
 * One readable sentence from a raw one: cleaned, and in the third person when the speaker is
 * known. Returns "" when nothing of substance is left.
 */
export function rewriteSentence(raw: string, speaker: string, voice: Voice): string {
  const clean = cleanSentence(dropHedges(cleanSentence(raw)));
  if (!clean) return '';
  const self = speakerReference(speaker);
  if (!self || !/\b(?:i|me|my|mine|myself|we|us|our|ours|ourselves)\b|\b(?:i|we)['’]/i.test(clean)) return clean;
  return capitalise(shortenRepeatedName(thirdPerson(clean, self, voice.addressee ?? 'you', { group: voice.group, keepYou: !voice.addressee }), self));
}

/** "DeShawn Carter feels like DeShawn Carter is…": after the first, a person's full name is the first name. */
function shortenRepeatedName(text: string, name: string): string {
  if (!/^[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+)+$/u.test(name) || /^the\s/i.test(name)) return text;
  const first = name.split(/\s+/)[0];
  let seen = 0;
  return text.replace(new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\b|['’])`, 'g'), (m) => (seen++ ? first : m));
}

function thirdPerson(clean: string, self: string, other: string, opts: { group: string; keepYou: boolean }): string {
  return (
    toThirdPerson(tokensOf(clean), self, other, opts)
      .replace(/\s+([,.;:!?])/g, '$1')
      // Tokens split hyphenated words ("sign - on"); rejoin the ones written that way.
      .replace(/([\w]+) - ([\w]+)/g, (m, a: string, b: string) => (clean.includes(`${a}-${b}`) ? `${a}-${b}` : m))
      .trim()
  );
}

/**
 * What the group settled, in the group's voice rather than a speaker's, for notes written to
 * others: "we'll ship our beta" → "the team will ship their beta".
 */
export function inGroupVoice(text: string, group = 'the team'): string {
  // A speaker's "I think" around what the group settled is not part of it.
  const settled = text.replace(OPINION_LEAD, '').replace(OPINION_TAIL, '');
  if (!/\b(?:i|me|my|we|us|our|ours|ourselves)\b|\b(?:i|we)['’]/i.test(settled)) return settled;
  return thirdPerson(settled, group, 'you', { group, keepYou: true });
}

/** Text without a speaker's "I think" around it ("The logo should be on the top I think" → "The logo should be on the top"). */
export function withoutOpinion(text: string): string {
  return text.replace(OPINION_LEAD, '').replace(OPINION_TAIL, '');
}

const OPINION_LEAD = /\bI (?:think|guess|suppose|believe|reckon|feel like|'d say|would say)(?: that)?,?\s+(?=\S)/gi;
const OPINION_TAIL = /,?\s+I (?:think|guess|suppose|believe)\b(?=\s*(?:[,.;!?]|$))/gi;

/**
 * Share of a sentence that survives clean-up (1 = fluent). Sentences that are mostly fillers and
 * restarts make poor points even when they carry the right words.
 */
export function fluency(raw: string, clean = cleanSentence(raw)): number {
  const before = wordCount(raw);
  if (!before) return 0;
  return Math.min(1, wordCount(clean) / before);
}

const cleaned = new WeakMap<Sentence, { clean: string; fluency: number }>();

/** A transcript sentence's clean text and fluency, computed once per sentence (points and summary both ask). */
export function sentenceClean(s: Sentence): { clean: string; fluency: number } {
  let v = cleaned.get(s);
  if (!v) {
    const clean = cleanSentence(s.raw);
    v = { clean, fluency: fluency(s.raw, clean) };
    cleaned.set(s, v);
  }
  return v;
}
