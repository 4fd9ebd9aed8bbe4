// From scored sentences to action items: one item per task and owner, with every turn where it is
// said, accepted or recapped as evidence, worded as a short imperative with "you"/"me" resolved.
import type { ItsFunction } from 'wink-nlp';
import type { ActionItem } from '../../schemas.js';
import { actionPriority } from '../actions.js';
import { dueDateOf } from '../dates.js';
import { capitalise, cleanText, truncateWords } from '../text.js';
import { referenceTime, sentenceEvidence, type Sentence, type Transcript } from '../transcript.js';
import { getWink } from '../nlp.js';
import { isGenericSpeaker } from '../participants.js';
import { startsWithVerb } from '../phrasing.js';
import { NOT_DOING, ownerOf, type Names } from './owner.js';
import { ownerCandidates, pickOwner } from './owner-model.js';
import { ANNOUNCES_DECISION } from './decisions.js';
import { overlap } from './wording.js';

/** The framing before the task itself ("I'll", "can you please", "we need to", "Priya will"). */
const FRAME =
  /^(?:.*?\b)?(?:i'll|i will|i'm going to|i am going to|i'm gonna|i can|i could|let me|i'm happy to|i'd be happy to|i need to|i have to|i should|(?:can|could|would|will) you(?: please| also| maybe| just)*|please|you(?:'ll| will| need to| should| have to| must| can| could|'d need to|'d have to| would need to)(?: also| then| please)*|i'd rather|we(?:'ll| will)? need to|we should|we have to|we must|we've got to|let's|let us|we're going to|we'll|[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:will|'ll|is going to|is gonna|can|could|should|needs to|has to|agreed to|offered to)|[A-Z][a-z]+'s (?:gonna|going to)(?: need to| have to)?|i(?:'d| would) like (?:you )?to|your (?:job|task) (?:is|will be) to)\s+(?:(?:also|then|definitely|just|quickly|go ahead and|make sure to|try to|first)\s+)*/i;

/**
 * A report of how things are or were ("We lost the last candidate in January", "The packet goes out
 * October thirteenth", "I've added that to the notes"): a subject first, a verb in a finite form,
 * and nothing that commits, asks or plans. Not a task, even when said beside one. A deliverable
 * named as a noun phrase ("The key visual and three video cut-downs") has no finite verb and stays.
 */
const REPORT_START = /^(?:the|a|an|this|that|these|those|we|they|i|he|she|it|there|our|my|his|her|their|most|some|on|in)\b/i;
const COMMITS = /\b(?:will|'ll|going to|gonna|need|needs|needed|have to|has to|got to|should|must|can|could|would|'d|let's|let me|want|wants|please|plan|planning|try|make sure|by|before|until|tomorrow|tonight|next)\b/i;

export function readsAsReport(item: string): boolean {
  if (!REPORT_START.test(item) || COMMITS.test(item)) return false;
  const wink = getWink();
  const tokens = wink.readDoc(item).tokens();
  const pos = tokens.out(wink.its.pos as ItsFunction<string>) as unknown as string[];
  const lemma = tokens.out(wink.its.lemma as ItsFunction<string>) as unknown as string[];
  const value = tokens.out() as unknown as string[];
  return pos.some((p, i) => p === 'AUX' || (p === 'VERB' && value[i].toLowerCase() !== lemma[i]));
}

const HEDGE = /\b(?:maybe|might|perhaps|probably|possibly|try to|i guess|i suppose|at some point|ideally|hopefully)\b/i;

/** How a person is named in a task: a first name, or "the Project Manager" for a role label. */
function firstName(name: string | null): string | null {
  if (!name || isGenericSpeaker(name)) return null;
  if (ROLE_WORDS.test(name)) return `the ${name}`;
  return name.split(/\s+/)[0];
}

const ROLE_WORDS = /\b(?:manager|designer|interface|marketing|expert|lead|engineer|chair|team|support|agent|host|moderator|interviewer|candidate|customer|officer|director|analyst|member|minister)\b/i;

/**
 * FRAME is case-insensitive, so its "Priya will" also matches a thing ("the runbook has to"): a
 * lowercase subject after an article keeps the thing in the task ("Get the runbook ready…").
 */
const THING_SUBJECT = /\b((?:the|this|that|our|your|their|a|an)\s+(?:[a-z][\w-]*\s+)?[a-z][\w-]*)\s+(?:has to|needs to|should|must)\s+$/i;

/** Short imperative: framing removed, fillers gone, "you"/"me" resolved, cut at the clause end. */
export function taskWording(raw: string, speaker: string | null, addressee: string | null, owner: string | null = null): string {
  let text = cleanText(raw).replace(/[.!?]+$/, '');
  // "And the TikTok Shop account setup, that's me": a task claimed by naming it.
  const claim = text.replace(DISCOURSE, '').match(CLAIM);
  if (claim && !/^(?:it|that|this)\b/i.test(claim[1])) return capitalise(truncateWords(`Handle ${claim[1].replace(/^(?:the|our)\b/i, 'the')}`, 18));
  const framed = text.match(FRAME);
  const thing = framed && /^be\s+\S/i.test(text.slice(framed[0].length)) ? framed[0].match(THING_SUBJECT) : null;
  if (thing) text = `Get ${thing[1].replace(/^(?:our|the)\b/i, 'the')} ${text.slice(framed![0].length).replace(/^be\s+/i, '')}`;
  else if (framed && framed[0].length < text.length - 8) text = text.slice(framed[0].length);
  else text = stripNamedSubject(stripLead(text, owner, speaker, addressee));
  const stop = text.search(/[;!?]|\.\s|,\s*(?:and then|but|because|so that|which|if|okay|right)\b|\s+(?:but|because)\s+/);
  if (stop > 12) text = text.slice(0, stop);
  // "Send me the file" said by Dana is "Send Dana the file"; "I'll send you…" to Leah is "Send Leah…".
  const me = firstName(speaker);
  const you = firstName(addressee);
  if (me) text = text.replace(/\b(?:me)\b/g, me).replace(/\bmy\b/g, `${me}'s`);
  // "You're"/"you two" are left alone: they do not name one person the task can be given to.
  if (you) text = text.replace(/(?<!\bthank\s)\byou\b(?!'|\s+(?:know|guys|two|all|both)\b)/gi, (m) => (m === 'you' ? you : m)).replace(/\byour\b/g, `${you}'s`);
  // A trailing vocative ("…before Monday, Bob") names the owner, not part of the task.
  text = text.replace(/,\s*[A-Z][a-zà-ÿ]+\s*$/, '');
  text = text.replace(/(?:\s+(?:my|your|our|the|a|an|to|with|of|and|for|in|on|at|that|this|is|are|so|but|or))+$/i, '').trim();
  return capitalise(truncateWords(text, 18));
}

/** A thing named, then claimed: "The firmware build, that's me" / "…, that one's on Priya". */
const CLAIM = /^((?:the|our|this|that)\s+[\w\s'-]{3,60}?),\s*(?:that's|that is|that one's|that one is)\s+(?:me|mine|on me|(?:on\s+)?[A-Z][a-z]+)$/i;

/** Words that open a turn and carry nothing of the task ("And", "Oh,", "So yeah,"). */
const DISCOURSE = /^(?:(?:and|so|oh|okay|ok|yeah|yes|yep|well|also|then|um|uh|right|alright|but|plus|honestly|actually)\b[,.]?\s+)+/i;
/** Words after "I"/"you" that do not start a task ("I think…", "you know…"). */
const NOT_A_TASK_VERB = /^(?:think|guess|mean|know|feel|was|were|had|did|said|thought|believe|wonder|hope|agree|see|like|love|understand|remember|just|really|also|am|are|have|would|could|might|may|don't|didn't|can't|won't|probably|actually|want|need|got|get it|saw|told|heard|two|three|both|all|guys|each|and|or|too)\b/i;

/**
 * A task said without a frame, tidied into an imperative: opening words dropped ("And", "Oh,"), a
 * leading vocative naming the owner or the person addressed dropped (the owner carries it: "Tom,
 * scorecard today" → "Scorecard today"; another name stays, as it says who), and a
 * plain first- or second-person subject dropped ("I do the verbal Wednesday" → "Do the verbal
 * Wednesday", "you walk her through it" → "Walk her through it").
 */
export function stripLead(text: string, owner: string | null = null, speaker: string | null = null, addressee: string | null = null): string {
  let out = text.replace(DISCOURSE, '');
  // Only the owner's own name (or "Me," from its speaker) goes: another name stays, as it says who.
  const voc = out.match(/^([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?|[Mm]e),\s+(?=\S+\s+\S)/);
  const first = (n: string | null) => n?.split(/\s+/)[0].toLowerCase() ?? '';
  const named = (n: string | null) => !!n && voc![1].length >= 3 && first(n).startsWith(voc![1].toLowerCase());
  const isOwner = voc && (/^me$/i.test(voc[1]) ? !!owner && owner === speaker : named(owner) || named(addressee));
  if (voc && isOwner) out = out.slice(voc[0].length).replace(DISCOURSE, '');
  const subject = out.match(/^(?:i|you)\s+(?=([a-z]+))/i);
  if (subject && !NOT_A_TASK_VERB.test(out.slice(subject[0].length))) out = out.slice(subject[0].length);
  // "We're insured, I'm filing the claim tomorrow" → "File the claim tomorrow".
  const doing = out.match(DOING);
  if (doing) out = `${baseOfIng(doing[1])} ${out.slice(doing[0].length)}`;
  return out.length >= 8 ? out : text;
}

/** A commitment in the progressive, after at most a short clause: "(We're insured,) I'm filing …". */
const DOING = new RegExp(String.raw`^(?:[^,]{0,30},\s+(?:and\s+)?)?i(?:'m|’m| am)\s+${NOT_DOING}([a-z]+ing)\b\s*`, 'i');

/** "filing" → "file", as the lemmatiser reads it after "I am". */
function baseOfIng(v: string): string {
  const wink = getWink();
  const lemma = wink.readDoc(`I am ${v.toLowerCase()} it`).tokens().out(wink.its.lemma as ItsFunction<string>) as unknown as string[];
  return lemma[2] ?? v;
}

/** "Farhan exports" → "export": the base form an imperative needs. */
function baseVerb(v: string): string {
  const w = v.toLowerCase();
  const irregular: Record<string, string> = { does: 'do', goes: 'go', has: 'have', is: 'be' };
  if (irregular[w]) return irregular[w];
  if (/ies$/.test(w)) return w.replace(/ies$/, 'y');
  if (/(?:ch|sh|ss|x|z|o)es$/.test(w)) return w.replace(/es$/, '');
  return w.replace(/s$/, '');
}

/** "Marcus gets the fix merged" → "Get the fix merged": a recap clause about a named person. */
function stripNamedSubject(text: string): string {
  const m = text.match(/^([A-Z][a-zà-ÿ]+(?:\s+[A-Z][a-z]+)?)\s+([a-z]+(?:es|s))\b\s*/);
  if (!m || /^(?:This|That|It|There|He|She|They|We|Everything|Nothing|Everyone)$/.test(m[1])) return text;
  return `${baseVerb(m[2])} ${text.slice(m[0].length)}`;
}

/**
 * A recap often lists several tasks in one sentence ("Marcus merges the fix by Friday, Leah reruns
 * the regression"): each clause with its own named subject becomes its own candidate.
 */
export function taskClauses(raw: string): string[] {
  const parts = raw.split(/(?:,|;|\.)\s+(?:and\s+)?(?=[A-Z][a-zà-ÿ]+(?:\s+[A-Z][a-z]+)?(?:,|\s+(?:[a-z]+s|will|'ll|is going to|can|should|needs to|has to)\b))|\s+and\s+(?=[A-Z][a-zà-ÿ]+\s+[a-z]+s\b)/);
  const clauses = parts.map((p) => p.trim()).filter((p) => p.split(/\s+/).length >= 3);
  // Once split, a clause that names no one and frames no task ("This is urgent: …") is context.
  return clauses.length > 1 ? clauses.filter((c) => FRAME.test(c) || /^(?!(?:This|That|It|There|He|She|What|Which)\b)[A-Z][a-zà-ÿ]+(?:\s+[A-Z][a-z]+)?(?:,|\s+(?!is\b|was\b|has\b)[a-z]+s\b)/.test(c)) : clauses;
}

function uniqueEvidence<E extends { segmentIndex: number; quote: string }>(list: E[]): E[] {
  const seen = new Set<string>();
  return list.filter((e) => !seen.has(`${e.segmentIndex}:${e.quote}`) && !!seen.add(`${e.segmentIndex}:${e.quote}`));
}

const OWNER_RANK: Record<string, number> = { self: 0, named: 1, team: 2, asked: 3, group: 4, none: 5 };

export interface Scored {
  s: Sentence;
  p: number;
}


/**
 * A date said for this task: in the sentence, else in a short one just before it that only gives the
 * day ("Okay, Wednesday. And I'll send it the same day."), else of the event it is due before
 * ("before launch"), else — for a request — in the reply to it ("by Friday?" — "Thursday").
 * `own` says the date is in the task's own sentence: a recap's own date replaces an earlier one,
 * a date found around it only fills a gap.
 * Other sentences of the same turn are not used otherwise: they often date something else. Dates are
 * read in the conversation's own zone; "today"/"EOD" are its day; past mentions never count.
 */
function dueFor(t: Transcript, s: Sentence, ownTask: boolean): { date: string; own: boolean } | null {
  const own = dueDateOf(t, s);
  if (own) return { date: own, own: true };
  const near = (d: string | null) => (d ? { date: d, own: false } : null);
  // "…the runbook. By next Wednesday." / "I'll do it tonight": the next sentence of the turn, when it
  // only adds the date or takes the same task up again.
  const next = t.sentences[s.id + 1];
  if (next && next.seg === s.seg && (next.words <= 6 || FOLLOW_UP.test(next.raw))) {
    const d = dueDateOf(t, next);
    if (d) return near(d);
  }
  const prev = t.sentences[s.id - 1];
  if (prev && prev.seg === s.seg && (prev.words <= 3 || SAME_DAY.test(s.raw))) {
    const d = dueDateOf(t, prev);
    if (d) return near(d);
  }
  // "…before launch": the sentence itself names what it is due by.
  const event = eventDate(t, s);
  if (event) return near(event);
  // Someone asked ("Could you send us photos?") answers with the date; a speaker's own commitment
  // is not dated by what the others say next (they are on to their own tasks).
  if (ownTask && !REQUEST.test(s.raw)) return null;
  for (let i = s.seg + 1; i < Math.min(t.segments.length, s.seg + REPLY_WINDOW); i++) {
    if (t.speakerOf[i] === s.speaker) continue;
    // The reply's deadline ("over the weekend. Monday at the latest.") over its first date.
    const dates = (t.segSentences[i] ?? []).map((id) => ({ raw: t.sentences[id].raw, d: dueDateOf(t, t.sentences[id]) })).filter((x) => x.d);
    const best = dates.find((x) => LATEST.test(x.raw)) ?? dates[0];
    if (best) return near(best.d);
  }
  return null;
}

/** "the same day", "that day": the day just said. */
const SAME_DAY = /\b(?:the same day|that (?:same )?day|same day)\b/i;
/** A sentence that asks someone else for the task. */
const REQUEST = /\?\s*$|\b(?:can|could|would|will) you\b|\bplease\b|\byou(?:'ll| will| need to| should| have to)\b|^\s*\w+,\s/i;
/** "Monday at the latest", "no later than Friday". */
const LATEST = /\bat the latest\b|\bno later than\b/i;

/** "before launch", "ahead of the demo", "in time for the offsite": a task due by a named event. */
const BEFORE_EVENT = /\b(?:before|ahead of|in time for)\s+(?:the\s+|our\s+|your\s+|their\s+)?([a-z]+)\b/gi;
/** Words after "before" that are not events ("before then", "before it ships", "before we start"). */
const NOT_EVENT = /^(?:then|that|this|it|we|i|you|they|he|she|anyone|anything|everyone|now|today|tomorrow|tonight|next|end|noon|lunch|long|and|or|is|was|going|getting|doing|starting|making|a|an)$/i;

/**
 * The date of the event a task is due before, when the conversation dates it elsewhere ("the demo is
 * Friday the thirteenth"): the nearest sentence that names the event with a date of its own.
 */
function eventDate(t: Transcript, s: Sentence): string | null {
  for (const m of s.raw.matchAll(BEFORE_EVENT)) {
    const word = m[1].toLowerCase();
    if (NOT_EVENT.test(word) || /(?:day|week|month)s?$/.test(word)) continue;
    const named = new RegExp(`\\b${word}\\b`, 'i');
    const dated = t.sentences
      .filter((x) => x.id !== s.id && named.test(x.raw))
      .sort((a, b) => Math.abs(a.id - s.id) - Math.abs(b.id - s.id));
    for (const x of dated) {
      const d = dueDateOf(t, x);
      if (d) return d;
    }
  }
  return null;
}

/** A sentence that takes the task just said up again ("I'll do it tonight", "I can have that …"). */
const FOLLOW_UP = /^(?:so\s+|and\s+)?(?:i|we)(?:'ll| will| can| could)\s+(?:\w+\s+){1,2}?(?:it|that|this|them|those|all of (?:it|that|this|them|those)|everything)\b/i;
/** Turns after a request in which the answer to it (with its date) is looked for. */
const REPLY_WINDOW = 4;

/** A task whose object is only a pronoun ("Do it tonight", "Send that over", "Have those to Jordan"). */
const ANAPHORIC = /^\w+(?:\s+\w+)?\s+(?:it|that|this|them|those)(?=\s*$|\s+(?:to|over|by|on|in|at|for|tomorrow|today|tonight|before|after|when|as|and|up|back|out|off|first|later|now|ready|done|finished|sorted)\b)/i;
const lastSeg = (d: Draft) => Math.max(...d.segs);

/** Words that only say when or agree ("EOD tomorrow", "By Friday, yes"): a reply, not a task. */
const WHEN_ONLY = /\b(?:by|before|until|on|at|for|the|eod|cob|end|of|day|week|month|morning|afternoon|evening|night|tonight|today|tomorrow|this|next|latest|yes|yeah|yep|ok|okay|sure|fine|then|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|[a-z]+teenth|twentieth|thirtieth|twenty|thirty|\d+(?:st|nd|rd|th)?|\d+(?::\d+)?(?:am|pm)?|am|pm)\b/gi;
function onlyWhen(item: string): boolean {
  return !item.replace(WHEN_ONLY, ' ').replace(/[^\p{L}]+/gu, ' ').trim();
}

/** One task being assembled: the sentences that say it, the rule's owner, its date and wording. */
export interface Draft {
  item: string;
  owner: string | null;
  ownerRank: number;
  p: number;
  segs: Set<number>;
  sentences: Sentence[];
  due: string | null;
  /** The date was said in one of the task's own sentences (not found around them). */
  dueOwn: boolean;
  hedged: boolean;
  order: number;
}

/**
 * Groups sentences the model scored at or above `threshold` into tasks. Repeats and recaps (the
 * same wording for a compatible owner) merge into one draft keeping all their evidence; the best
 * scored sentence gives the wording. Returns the `limit` best drafts in conversation order.
 */
export function buildDrafts(t: Transcript, scored: Scored[], threshold: number, names: Names, limit = 20): Draft[] {
  const ref = referenceTime(t);
  const drafts: Draft[] = [];
  for (const { s: whole, p } of scored) {
    if (p < threshold || whole.words < 3 || ANNOUNCES_DECISION.test(whole.raw)) continue;
    for (const clause of taskClauses(whole.raw)) add({ ...whole, raw: clause }, p);
  }
  function add(s: Sentence, p: number) {
    const guess = ownerOf(t, s, names);
    const item = taskWording(s.raw, s.speaker, guess.addressee, guess.owner);
    if (item.split(/\s+/).length < 2 || readsAsReport(item) || onlyWhen(item)) return;
    const found = dueFor(t, s, guess.kind === 'self');
    const due = found?.date ?? null;
    // A recap names the same owner with other words; a repeat nearby may leave the owner out.
    // "Do it tonight", "Send that to Kenji": a short task about "it" said by the same person right
    // after another task is that task again (its date or recipient), not a new one.
    const anaphoric = ANAPHORIC.test(item) && item.split(/\s+/).length <= 8;
    const same = drafts.find((d) => {
      const o = overlap(d.item, item);
      if (d.owner && d.owner === guess.owner && o >= 0.3) return true;
      if (anaphoric && d.owner === guess.owner && lastSeg(d) === s.seg) return true;
      return (d.owner === guess.owner || !d.owner || !guess.owner) && (o >= 0.5 || (Math.abs(d.order - s.seg) <= 2 && o >= 0.25));
    });
    if (same) {
      same.segs.add(s.seg);
      same.sentences.push(s);
      // The most explicit statement of who does it wins ("I'll…" or "Priya will…" over a bare recap).
      if (!same.owner || (guess.owner && OWNER_RANK[guess.kind] < same.ownerRank)) {
        same.owner = guess.owner;
        same.ownerRank = OWNER_RANK[guess.kind];
      }
      // A later statement (a recap, a change of plan) gives the final date; a date only found
      // around a later statement does not replace one said with the task.
      if (found && (found.own || !same.dueOwn)) {
        same.due = found.date;
        same.dueOwn = found.own;
      }
      // The wording that names the thing wins over one that only says "it".
      // An imperative ("Build the landing page") is not replaced by a recap's fragment ("Bia, landing
      // page on the fourteenth"), unless it only says "it" ("Fix it tomorrow" -> "Alert routing, tomorrow").
      if (p > same.p && !anaphoric && (ANAPHORIC.test(same.item) || startsWithVerb(item) || !startsWithVerb(same.item))) same.item = item;
      same.p = Math.max(same.p, p);
      return;
    }
    drafts.push({ item, owner: guess.owner, ownerRank: OWNER_RANK[guess.kind], p, segs: new Set([s.seg]), sentences: [s], due, dueOwn: found?.own ?? false, hedged: HEDGE.test(s.raw), order: s.seg });
  }
  return drafts
    .sort((a, b) => b.p - a.p || a.order - b.order)
    .slice(0, limit)
    .sort((a, b) => a.order - b.order);
}

/**
 * Action items from scored sentences. With owner weights (the learned owner model), the owner is the
 * best scored of every person the task's sentences point at; without, the rule's owner.
 */
export function buildActionItems(t: Transcript, scored: Scored[], threshold: number, names: Names, limit = 20, ownerWeights?: Float32Array): ActionItem[] {
  // Two drafts that end up with the same owner and the same words ("Talk to Ben" said twice, owned
  // by different people until the owner model chose) are one task: the first keeps both evidence.
  const out: ActionItem[] = [];
  for (const a of itemsFromDrafts(t, buildDrafts(t, scored, threshold, names, limit), names, ownerWeights)) {
    const same = out.find((b) => b.owner === a.owner && b.item.toLowerCase() === a.item.toLowerCase());
    if (!same) {
      out.push(a);
      continue;
    }
    same.evidence = uniqueEvidence([...same.evidence, ...a.evidence].sort((x, y) => x.segmentIndex - y.segmentIndex));
    same.dueDate ??= a.dueDate;
  }
  return out;
}

/** The action items of drafts, one each, in the same order. */
export function itemsFromDrafts(t: Transcript, drafts: Draft[], names: Names, ownerWeights?: Float32Array): ActionItem[] {
  const ref = referenceTime(t);
  return drafts.map((d) => ({
    item: d.item,
    owner: ownerWeights ? pickOwner(ownerWeights, ownerCandidates(t, d.sentences, names, d.item), d.item) ?? d.owner : d.owner,
    // The uncalibrated score; the caller maps it to a calibrated confidence.
    confidence: d.p,
    priority: actionPriority(d.sentences.map((x) => x.raw).join(' '), d.due, ref, d.hedged),
    dueDate: d.due,
    evidence: uniqueEvidence([...d.sentences].sort((a, b) => a.id - b.id).map((x) => sentenceEvidence(t, x))),
  }));
}
