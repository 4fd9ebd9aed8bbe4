// From scored sentences to action items: one item per task and owner, with every turn where it is
// said, accepted or recapped as evidence, worded as a short imperative with "you"/"me" resolved.
import type { ActionItem } from '../../schemas.js';
import { actionPriority } from '../actions.js';
import { resolveDates } from '../dates.js';
import { capitalise, cleanText, truncateWords } from '../text.js';
import { referenceTime, sentenceEvidence, type Sentence, type Transcript } from '../transcript.js';
import { ownerOf, type Names } from './owner.js';
import { overlap } from './wording.js';

/** The framing before the task itself ("I'll", "can you please", "we need to", "Priya will"). */
const FRAME =
  /^(?:.*?\b)?(?:i'll|i will|i'm going to|i am going to|i'm gonna|i can|i could|let me|i'm happy to|i'd be happy to|i need to|i have to|i should|(?:can|could|would|will) you(?: please| also| maybe| just)*|please|you(?:'ll| will| need to| should| have to| must| can| could)(?: also| then| please)*|we(?:'ll| will)? need to|we should|we have to|we must|we've got to|let's|let us|we're going to|we'll|[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:will|'ll|is going to|is gonna|can|could|should|needs to|has to|agreed to|offered to)|i(?:'d| would) like (?:you )?to|your (?:job|task) (?:is|will be) to)\s+(?:(?:also|then|definitely|just|quickly|go ahead and|make sure to|try to|first)\s+)*/i;

const HEDGE = /\b(?:maybe|might|perhaps|probably|possibly|try to|i guess|i suppose|at some point|ideally|hopefully)\b/i;

function firstName(name: string | null): string | null {
  return name ? name.split(/\s+/)[0] : null;
}

/** Short imperative: framing removed, fillers gone, "you"/"me" resolved, cut at the clause end. */
export function taskWording(raw: string, speaker: string | null, addressee: string | null): string {
  let text = cleanText(raw).replace(/[.!?]+$/, '');
  const framed = text.match(FRAME);
  if (framed && framed[0].length < text.length - 8) text = text.slice(framed[0].length);
  const stop = text.search(/[;!?]|\.\s|,\s*(?:and then|but|because|so that|which|if|okay|right)\b|\s+(?:but|because)\s+/);
  if (stop > 12) text = text.slice(0, stop);
  // "Send me the file" said by Dana is "Send Dana the file"; "I'll send you…" to Leah is "Send Leah…".
  const me = firstName(speaker);
  const you = firstName(addressee);
  if (me) text = text.replace(/\b(?:me)\b/g, me).replace(/\bmy\b/g, `${me}'s`);
  if (you) text = text.replace(/\byou\b(?!'|\s+(?:know|guys)\b)/g, you).replace(/\byour\b/g, `${you}'s`);
  text = text.replace(/(?:\s+(?:my|your|our|the|a|an|to|with|of|and|for|in|on|at|that|this|is|are|so|but|or))+$/i, '').trim();
  return capitalise(truncateWords(text, 18));
}

export interface Scored {
  s: Sentence;
  p: number;
}

interface Draft {
  item: string;
  owner: string | null;
  p: number;
  segs: Set<number>;
  sentences: Sentence[];
  due: string | null;
  hedged: boolean;
  order: number;
}

/** A date said for this task: in the sentence, else the rest of its turn, else the reply to it. */
function dueFor(t: Transcript, s: Sentence, ref: Date | null): string | null {
  const own = resolveDates(s.raw, ref, { forward: true })[0]?.date;
  if (own) return own;
  const turn = resolveDates(t.segments[s.seg].text, ref, { forward: true })[0]?.date;
  if (turn) return turn;
  for (let i = s.seg + 1; i < Math.min(t.segments.length, s.seg + 3); i++) {
    if (t.speakerOf[i] === s.speaker) continue;
    return resolveDates(t.segments[i].text, ref, { forward: true })[0]?.date ?? null;
  }
  return null;
}

/**
 * Builds items from sentences the model scored at or above `threshold`. Repeats and recaps (the
 * same wording for a compatible owner) merge into one item keeping all their evidence; the best
 * scored sentence gives the wording.
 */
export function buildActionItems(t: Transcript, scored: Scored[], threshold: number, names: Names, limit = 20): ActionItem[] {
  const ref = referenceTime(t);
  const drafts: Draft[] = [];
  for (const { s, p } of scored) {
    if (p < threshold || s.words < 3) continue;
    const guess = ownerOf(t, s, names);
    const item = taskWording(s.raw, s.speaker, guess.addressee);
    if (item.split(/\s+/).length < 2) continue;
    const due = dueFor(t, s, ref);
    const same = drafts.find((d) => (d.owner === guess.owner || !d.owner || !guess.owner) && (overlap(d.item, item) >= 0.5 || (Math.abs(d.order - s.seg) <= 2 && overlap(d.item, item) >= 0.25)));
    if (same) {
      same.segs.add(s.seg);
      same.sentences.push(s);
      same.owner ??= guess.owner;
      same.due ??= due;
      if (p > same.p) {
        same.p = p;
        same.item = item;
      }
      continue;
    }
    drafts.push({ item, owner: guess.owner, p, segs: new Set([s.seg]), sentences: [s], due, hedged: HEDGE.test(s.raw), order: s.seg });
  }
  return drafts
    .sort((a, b) => b.p - a.p || a.order - b.order)
    .slice(0, limit)
    .sort((a, b) => a.order - b.order)
    .map((d) => ({
      item: d.item,
      owner: d.owner,
      // The uncalibrated score; the caller maps it to a calibrated confidence.
      confidence: d.p,
      priority: actionPriority(d.sentences.map((x) => x.raw).join(' '), d.due, ref, d.hedged),
      dueDate: d.due,
      evidence: d.sentences.sort((a, b) => a.id - b.id).map((x) => sentenceEvidence(t, x)),
    }));
}
