// Features of one sentence in its conversation, for the learned action-item and decision models.
// Everything is hashed into a fixed number of buckets so the model file stays small, and names are
// replaced by placeholders so the model learns how people commit, not who does.
import type { Sentence, Transcript } from '../transcript.js';

export const HASH_BITS = 15;
const MASK = (1 << HASH_BITS) - 1;

/**
 * FNV-1a, 32-bit, over the parts of a feature name as if joined ("w:" + token): stable across runs
 * and platforms, so a model file means the same everywhere; hashing the parts in place avoids
 * building and flattening hundreds of thousands of strings on a long meeting.
 */
export function hashFeature(...parts: string[]): number {
  let h = 0x811c9dc5;
  for (const s of parts) {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return (h >>> 0) & MASK;
}

/** Hand-written cues, given to the model as features (it learns how much each one counts). */
const CUES: Array<[string, RegExp]> = [
  ['self', /\b(?:i'll|i will|i'm going to|i am going to|i'm gonna|i can|let me|i'm happy to|i'd be happy to|i'll go ahead)\b/i],
  ['request', /\b(?:can|could|would|will) you\b|\bplease\b|\byou(?:'ll| will| need to| should| have to| must| can)\b/i],
  ['group', /\b(?:we need to|we'll need to|we should|we have to|we must|we've got to|we gotta|someone (?:needs|has) to|let's|let us|we're going to)\b/i],
  ['named', /\b[A-Z][a-z]+ (?:will|'ll|is going to|can|should|needs to|has to|agreed to|offered to)\b/],
  ['assign', /\b(?:your (?:job|task|homework)|assign|action item|to do|todo|homework|for next (?:time|meeting)|next meeting|by next)\b/i],
  ['decide', /\b(?:decision|decided|decide|agreed|agree|settled|consensus|resolved|approved|signed off|final answer|conclusion)\b/i],
  ['goWith', /\b(?:go with|going with|stick with|go for|opt for|settle on|we'll use|we will use|let's use|let's do|let's keep|let's drop)\b/i],
  ['settledMark', /\b(?:that's decided|that's settled|decision:|it's decided|done deal|so that's|okay so|final)\b/i],
  ['parked', /\b(?:park|parked|table (?:it|that|this)|revisit|come back to|later|leave (?:it|that|this) open|not decided|undecided|haven't decided|open question|tbd|to be decided|think about it|sleep on it|not sure)\b/i],
  ['hedge', /\b(?:maybe|might|perhaps|probably|possibly|try to|i guess|i suppose|at some point|ideally|hopefully|i think)\b/i],
  ['future', /\b(?:later|after (?:the|this) (?:meeting|call)|next (?:time|week|meeting|month)|tomorrow|tonight|by (?:the )?(?:end|monday|tuesday|wednesday|thursday|friday|next|tomorrow|then)|before (?:the|our|next)|afterwards|this (?:week|afternoon|evening))\b/i],
  ['date', /\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|tomorrow|today|tonight|eod|end of (?:day|week|month)|next week|\d{1,2}(?:st|nd|rd|th))\b/i],
  ['urgent', /\b(?:urgent|asap|as soon as possible|immediately|right away|blocker|critical|top priority)\b/i],
  ['agree', /^\s*(?:yes|yeah|yep|sure|ok|okay|agreed|absolutely|definitely|sounds good|perfect|great|fine|alright|right|will do|done|deal|makes sense|no problem|of course)\b/i],
  ['disagree', /^\s*(?:no|nah|but|well|i don't think|not sure|hmm)\b/i],
  ['past', /\b(?:did|was|were|had|yesterday|last (?:week|time|meeting)|already|finished|done)\b/i],
  ['sendVerb', /\b(?:send|email|share|circulate|forward|draft|write|update|review|check|schedule|book|prepare|follow up|ping|tell|call|look into|fix|merge|ship|set up|reach out|get back)\b/i],
  ['workOn', /\b(?:work on|working on|look at|think about|come up with|figure out|find out)\b/i],
  ['cost', /\b(?:euro|euros|cents|budget|price|cost|dollars|\$|€|£)\b/i],
  ['negation', /\b(?:not|don't|won't|can't|shouldn't|no longer|never)\b/i],
];

const FILLERS = new Set(['um', 'uh', 'erm', 'er', 'ah', 'hmm', 'mm', 'mm-hmm', 'uh-huh', 'so', 'okay', 'ok', 'well', 'and', 'yeah', 'oh', 'like', 'right']);

export interface ConversationContext {
  t: Transcript;
  /** Lower-cased words that name people (speakers' name parts): replaced by a placeholder. */
  nameWords: Set<string>;
  /** Most frequent speaker: in meetings usually the chair, who hands out tasks. */
  chair: string;
  /** For each segment, the cue names it fires (for context features of neighbours). */
  segCues: string[][];
  /** For each segment, features of the reply to it (shared by all its sentences). */
  segNext: string[][][];
  /** For each segment, how the room takes it up: distinct others agreeing in the next turns, a call for consent. */
  segConsent: string[][][];
}

/** Turns after a sentence in which others' agreement is counted. */
const CONSENT_WINDOW = 4;
/** A call for the room's consent ("Everyone okay?", "Agreed?", "Any objections?"). */
const CALLS_CONSENT = /\b(?:every(?:one|body) (?:okay|ok|good|fine|happy|agreed?)(?: with (?:that|this))?|agreed|objections?|does that work(?: for (?:everyone|everybody|you all))?|are we (?:aligned|agreed|good)|all in favou?r|sound good|yes|okay)\s*\?\s*$/i;
/** A bare consent that settles what was just said in the same turn ("We fix the layouts. Agreed."). */
export const BARE_CONSENT = /^\s*(?:(?:okay|ok|so|good|great|fine|right)[,\s]+)*(?:agreed|decided|settled|done|deal|that's (?:decided|settled|agreed|final))\s*[.!]?\s*$/i;
/** A bare announcement whose content follows ("So, decision.", "Decision:"). */
// Differs from ANNOUNCES_DECISION (decisions.ts), a sentence opening "Decision:" with anything after: this is the whole sentence, needs no mark (or "." / "!"), takes "final decision", not "resolved".
export const BARE_DECISION = /^\s*(?:(?:so|okay|ok|and|alright|right)[,\s]+)*(?:decision|decided|agreed|final decision|resolution)\s*[.:!,;\-–—]?\s*$/i;

export function conversationContext(t: Transcript): ConversationContext {
  const nameWords = new Set<string>();
  for (const s of t.speakers) for (const w of s.toLowerCase().split(/\s+/)) if (w.length > 1 && /^[a-z]/.test(w)) nameWords.add(w);
  const counts = new Map<string, number>();
  for (const sp of t.speakerOf) counts.set(sp, (counts.get(sp) ?? 0) + 1);
  const chair = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const segCues = t.segments.map((s) => cuesOf(s.text));
  const segNext = t.segments.map((_, seg) => {
    const nx = nextOther(t, seg);
    if (nx < 0) return [];
    const f: string[][] = segCues[nx].map((c) => ['next:', c]);
    const w0 = t.segments[nx].text.toLowerCase().match(/[a-z']+/)?.[0];
    if (w0) f.push(['next0:', w0]);
    if (t.segments[nx].text.split(/\s+/).length <= 4) f.push(['nextShort']);
    return f;
  });
  const segConsent = t.segments.map((_, seg) => {
    const agreeing = new Set<string>();
    for (let i = seg + 1; i < Math.min(t.segments.length, seg + 1 + CONSENT_WINDOW); i++) {
      if (t.speakerOf[i] !== t.speakerOf[seg] && segCues[i].includes('agree')) agreeing.add(t.speakerOf[i]);
    }
    const f: string[][] = [['agreeing:', String(Math.min(3, agreeing.size))]];
    if (CALLS_CONSENT.test(t.segments[seg].text.trim())) f.push(['callsConsent']);
    return f;
  });
  return { t, nameWords, chair, segCues, segNext, segConsent };
}

/**
 * How a sentence's own turn frames it: announced by a bare "Decision." just before it ("So,
 * decision. Kannada first.") or settled by a bare "Agreed." just after it ("We fix the layouts.
 * Agreed."). Read by the decision model's features and by the rules that mark a decision explicit.
 */
export function bareFraming(t: Transcript, s: Sentence): { announced: boolean; consentAfter: boolean } {
  const before = t.sentences[s.id - 1];
  const after = t.sentences[s.id + 1];
  return {
    announced: before?.seg === s.seg && BARE_DECISION.test(before.raw),
    consentAfter: after?.seg === s.seg && BARE_CONSENT.test(after.raw),
  };
}

/**
 * The decision model's features: the sentence's own (`base`, from sentenceFeatures) plus how the
 * room took it up: how many others agreed in the next turns, whether the turn called for consent,
 * and whether the sentence before it announced a decision ("So, decision. Kannada first.").
 * The action model does not see these.
 */
export function decisionFeatures(ctx: ConversationContext, s: Sentence, base: number[]): number[] {
  const f = [...ctx.segConsent[s.seg]];
  const { announced, consentAfter } = bareFraming(ctx.t, s);
  if (announced) f.push(['announced']);
  if (consentAfter) f.push(['consentAfter']);
  const out = new Set(base);
  for (const x of f) out.add(hashFeature('d:', ...x));
  return [...out].sort((a, b) => a - b);
}

export function cuesOf(text: string): string[] {
  return CUES.filter(([, re]) => re.test(text)).map(([n]) => n);
}

function tokenOf(value: string, norm: string, ctx: ConversationContext, first: boolean): string {
  if (/^\d/.test(norm)) return '<num>';
  if (ctx.nameWords.has(norm)) return '<name>';
  // A capitalised word inside a sentence is a name or a product; either way not to be memorised.
  if (!first && /^[A-Z][a-z]/.test(value) && norm !== 'i') return '<cap>';
  return norm;
}

/** Nearest segment after `seg` spoken by someone else, within two turns. */
function nextOther(t: Transcript, seg: number): number {
  for (let i = seg + 1; i < Math.min(t.segments.length, seg + 3); i++) if (t.speakerOf[i] !== t.speakerOf[seg]) return i;
  return -1;
}

/** Hashed feature indices (binary features) of one sentence. */
export function sentenceFeatures(ctx: ConversationContext, s: Sentence): number[] {
  const { t } = ctx;
  const f: string[][] = [['bias'], ['kind:', t.conv.kind]];
  const toks = s.tokens.filter((k) => /[a-z0-9]/i.test(k.value)).map((k, i) => tokenOf(k.value, k.norm, ctx, i === 0));
  const content = toks.filter((w) => !FILLERS.has(w));
  for (const w of toks) f.push(['w:', w]);
  for (let i = 0; i + 1 < toks.length; i++) f.push(['b:', toks[i], '_', toks[i + 1]]);
  if (content[0]) f.push(['f0:', content[0]]);
  if (content[1]) f.push(['f01:', content[0], '_', content[1]]);
  const firstPos = s.tokens.find((k) => /[a-z]/i.test(k.value) && !FILLERS.has(k.norm))?.pos;
  if (firstPos) f.push(['pos0:', firstPos]);
  if (firstPos === 'VERB' && !s.question) f.push(['imperative']);
  const cues = cuesOf(s.raw);
  for (const c of cues) f.push(['c:', c]);
  for (let i = 0; i < cues.length; i++) for (let j = i + 1; j < cues.length; j++) f.push(['cc:', cues[i], '_', cues[j]]);
  if (s.question) f.push(['question']);
  if (s.question) for (const c of cues) f.push(['qc:', c]);
  const len = s.words <= 3 ? 'xs' : s.words <= 7 ? 's' : s.words <= 15 ? 'm' : s.words <= 30 ? 'l' : 'xl';
  f.push(['len:', len]);
  const n = t.segments.length;
  const at = n > 1 ? s.seg / (n - 1) : 0;
  f.push(['pos:', String(Math.min(9, Math.floor(at * 10)))]);
  if (at > 0.85) for (const c of cues) f.push(['end:', c]);
  const chair = s.speaker === ctx.chair;
  f.push(['chair:', String(chair)]);
  if (chair) for (const c of cues) f.push(['chairc:', c]);
  const role = t.segments[s.seg].role;
  if (role) f.push(['role:', role]);
  const segSents = t.segSentences[s.seg];
  f.push(['segsents:', String(Math.min(4, segSents.length))]);
  if (segSents[segSents.length - 1] === s.id) f.push(['lastInSeg']);
  // Context: what the previous turn asked and how the next speaker answers.
  if (s.seg > 0) for (const c of ctx.segCues[s.seg - 1]) f.push(['prev:', c]);
  f.push(...ctx.segNext[s.seg]);
  const out = new Set<number>();
  for (const x of f) out.add(hashFeature(...x));
  return [...out].sort((a, b) => a - b);
}
