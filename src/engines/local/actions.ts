// Action items: commitments ("I'll…", "Alice will…"), requests ("can you…, Bob?") and group
// obligations ("we need to…"), each with an owner, a due date, a priority and a confidence.
import type { ActionItem, Priority } from '../schemas.js';
import { dueDateOf } from './dates.js';
import { capitalise, normaliseSpacing, removeRepetitions, truncateWords } from './text.js';
import { referenceTime, sentenceEvidence, type Sentence, type Transcript } from './transcript.js';

/** Verbs that name follow-up work on their own; a commitment with one of these is a task. */
const STRONG_VERBS = new Set(
  `send email mail forward share circulate prepare draft write update review check verify confirm investigate research
  follow contact schedule organise organize arrange book order buy purchase fix finish complete submit deliver create
  build design implement test install deploy compile collect gather coordinate distribute post upload publish document
  report summarise summarize provide print notify remind evaluate analyse analyze calculate estimate produce chase sketch
  mock prototype rewrite edit revise finalise finalize approve sign reserve cancel transfer pay renew register apply file
  hire interview train onboard migrate merge release phone ring investigate double-check`
    .split(/\s+/)
    .filter(Boolean),
);

/** Verbs that only name work in a phrase ("look into", "set up") or with a time ("do it tomorrow"). */
const WEAK_VERBS = new Set(
  `make do get look work find put take run set move change pull ask plan handle bring clean dig sort talk speak reach call
  meet figure get email text message think`
    .split(/\s+/)
    .filter(Boolean),
);
const PHRASAL = /^(?:look into|take care of|follow up|find out|figure out|set up|put together|work on|get back to|sort out|dig into|pull together|reach out|talk to|speak to|speak with|talk with|get in touch|call|meet with|ask)\b/i;

/** Verbs that never describe a task, even with a time attached ("I'll be honest tomorrow"). */
const STATIVE = new Set('be think guess say admit bet hope know mean see wonder suppose believe feel like love want need'.split(' '));

/** Phrases that make an immediate-looking verb into later work ("I'll call her tomorrow"). */
const FUTURE_MARKER = /\b(?:later|after (?:the|this) (?:meeting|call)|next (?:time|week|meeting|month)|tomorrow|tonight|by (?:the )?(?:end|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next|tomorrow|then)|before (?:the|our|next)|offline|afterwards|this (?:week|afternoon|evening)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b/i;
const HEDGE = /\b(?:maybe|might|perhaps|probably|possibly|try to|i guess|i suppose|if (?:we|i|you) (?:can|have)|at some point|eventually|ideally|hopefully)\b/i;
const URGENT = /\b(?:urgent(?:ly)?|asap|as soon as possible|immediately|right away|blocker|blocking|critical|top priority|high priority|by (?:the )?end of (?:the )?day|eod|by tonight|first thing)\b/i;
const AGENDA = /\b(?:today|this (?:meeting|call|session)|in this (?:meeting|call)|on the agenda|the agenda)\b/i;
const ACCEPT = /^\s*(?:(?:yes|yeah|yep|sure|ok|okay|certainly|absolutely|of course|no problem|will do|definitely|fine|alright|right)\b|i(?:'ll| will| can)\b)/i;

type Kind = 'self' | 'named' | 'request' | 'group';

interface Match {
  kind: Kind;
  owner: string | null;
  /** Index in the normalised text where the task's verb starts. */
  at: number;
  verb: string;
  accepted: boolean;
}

const SELF = /\b(?:i'll|i will|i'm going to|i am going to|i'm gonna|i can|i could|let me|i'm happy to|i'd be happy to|i'll be happy to|i'll go ahead and|i will go ahead and)\s+(?:also\s+|then\s+|definitely\s+|certainly\s+|personally\s+|make sure to\s+|make sure i\s+|go ahead and\s+|try and\s+|try to\s+)*([a-z]+)/gi;
const REQUEST = /\b(?:can|could|would|will)\s+you\s+(?:please\s+|also\s+|maybe\s+|just\s+)*([a-z]+)|\bplease\s+([a-z]+)|\byou(?:'ll| will| need to| should| have to| must)\s+(?:also\s+|then\s+|please\s+)*([a-z]+)/gi;
const GROUP = /\b(?:we need to|we'll need to|we should|we have to|we must|we've got to|we gotta|we ought to|someone (?:needs|has) to|somebody (?:needs|has) to|someone should|somebody should|let's|let us|we're going to have to|we will need to)\s+(?:also\s+|then\s+|definitely\s+|really\s+|probably\s+|maybe\s+|still\s+)*([a-z]+)/gi;
const NAMED_TAIL = String.raw`\s+(?:will|'ll|is going to|is gonna|can|could|should|needs to|has to|agreed to|offered to|is to|to)\s+(?:also\s+|then\s+|please\s+)*([a-z]+)`;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface NamePatterns {
  name: string;
  subject: RegExp;
  vocative: RegExp;
  trailing: RegExp;
}

function namePatterns(names: string[]): NamePatterns[] {
  return names.map((name) => {
    const e = escapeRe(name);
    return {
      name,
      subject: new RegExp(`\\b${e}${NAMED_TAIL}`, 'g'),
      vocative: new RegExp(`(?:,\\s*${e}\\s*[?.!]?\\s*$)|(?:^\\s*(?:hey\\s+|so\\s+|okay\\s+|and\\s+)?${e}\\s*,)`, 'i'),
      trailing: new RegExp(`,?\\s*${e}\\s*$`, 'i'),
    };
  });
}

function vocative(text: string, names: NamePatterns[]): string | null {
  for (const n of names) if (text.includes(n.name) && n.vocative.test(text)) return n.name;
  return null;
}

function nextSpeakerReply(t: Transcript, s: Sentence): { speaker: string; text: string } | null {
  for (let i = s.seg + 1; i < Math.min(t.segments.length, s.seg + 3); i++) {
    if (t.speakerOf[i] !== s.speaker) return { speaker: t.speakerOf[i], text: t.segments[i].text };
  }
  return null;
}

function findMatches(t: Transcript, s: Sentence, text: string, names: NamePatterns[]): Match[] {
  const out: Match[] = [];
  const lower = text.toLowerCase();
  for (const m of lower.matchAll(SELF)) out.push({ kind: 'self', owner: s.speaker, at: m.index! + m[0].length - m[1].length, verb: m[1], accepted: true });
  for (const n of names) {
    if (!text.includes(n.name)) continue;
    for (const m of text.matchAll(n.subject)) out.push({ kind: 'named', owner: n.name, at: m.index! + m[0].length - m[1].length, verb: m[1].toLowerCase(), accepted: true });
  }
  for (const m of lower.matchAll(REQUEST)) {
    const verb = m[1] ?? m[2] ?? m[3];
    const named = vocative(text, names);
    const reply = nextSpeakerReply(t, s);
    const accepted = !!reply && ACCEPT.test(reply.text);
    let owner = named;
    if (!owner && accepted) owner = reply!.speaker;
    if (!owner && t.speakers.length === 2) owner = t.speakers.find((x) => x !== s.speaker) ?? null;
    out.push({ kind: 'request', owner, at: m.index! + m[0].length - verb.length, verb, accepted: accepted || !!named });
  }
  for (const m of lower.matchAll(GROUP)) out.push({ kind: 'group', owner: null, at: m.index! + m[0].length - m[1].length, verb: m[1], accepted: false });
  return out;
}

/** The task itself: from the verb to the end of its clause, tidied. */
function taskText(text: string, at: number, owner: NamePatterns | undefined): string {
  let rest = text.slice(at);
  const stop = rest.search(/[.;!?]|,\s*(?:and then|but|because|so that|which|if)\b|\s+(?:but|because)\s+|\s--/);
  if (stop > 0) rest = rest.slice(0, stop);
  if (owner) rest = rest.replace(owner.trailing, '');
  rest = removeRepetitions(rest.replace(/,\s*$/, '').trim());
  rest = rest.replace(/\b(?:um|uh|you know|i mean)\b,?\s*/gi, '').replace(/\s+/g, ' ').trim();
  // A cut-off ending ("check with my") is dropped back to the last whole phrase.
  rest = rest.replace(/(?:\s+(?:my|your|our|the|a|an|to|with|of|and|for|in|on|at|that|this|is|are|so|but|or|w|th))+$/i, '');
  return capitalise(truncateWords(rest, 16));
}

/**
 * Confidence (documented because clients sort and filter on it):
 *   0.35 base
 * + 0.25 explicit commitment (the owner says "I'll…", is named "Alice will…", or accepts a request)
 * + 0.15 an owner is known
 * + 0.10 a due date was resolved
 * + 0.05 the verb names follow-up work (send, draft, review, …)
 * − 0.15 hedged ("maybe", "try to", "at some point")
 * − 0.10 an unanswered request
 * clamped to [0.05, 0.98]. "I'll send the roadmap by Friday" → 0.90; "we should look at it" → 0.40.
 */
export function actionConfidence(f: { committed: boolean; owner: boolean; due: boolean; actionVerb: boolean; hedged: boolean; unansweredRequest: boolean }): number {
  let c = 0.35;
  if (f.committed) c += 0.25;
  if (f.owner) c += 0.15;
  if (f.due) c += 0.1;
  if (f.actionVerb) c += 0.05;
  if (f.hedged) c -= 0.15;
  if (f.unansweredRequest) c -= 0.1;
  return Math.round(Math.min(0.98, Math.max(0.05, c)) * 100) / 100;
}

/** high: urgent wording or due within 2 days; low: hedged without date; else medium. */
export function actionPriority(text: string, due: string | null, ref: Date | null, hedged: boolean): Priority {
  if (URGENT.test(text)) return 'high';
  if (due && ref) {
    const days = (Date.parse(`${due}T23:59:59Z`) - ref.getTime()) / 86400000;
    if (days <= 2) return 'high';
  }
  if (hedged && !due) return 'low';
  return 'medium';
}

export function extractActionItems(t: Transcript, knownNames: string[], limit = 15): ActionItem[] {
  const names = namePatterns([...new Set(knownNames.filter((n) => /^[A-Z]/.test(n) && n.length > 1))].sort((a, b) => b.length - a.length));
  const ref = referenceTime(t);
  const items: Array<ActionItem & { order: number }> = [];
  const seen = new Set<string>();
  for (const s of t.sentences) {
    if (s.words < 3) continue;
    const text = normaliseSpacing(s.raw);
    const matches = findMatches(t, s, text, names);
    if (!matches.length) continue;
    // One task per sentence: the most explicit reading wins.
    const rank: Record<Kind, number> = { named: 0, self: 1, request: 2, group: 3 };
    matches.sort((a, b) => rank[a.kind] - rank[b.kind] || a.at - b.at);
    const m = matches[0];
    const due = dueDateOf(t, s);
    const future = FUTURE_MARKER.test(text) || !!due;
    const tail = text.slice(m.at);
    const actionVerb = STRONG_VERBS.has(m.verb) || PHRASAL.test(tail);
    if (!actionVerb && !(future && (WEAK_VERBS.has(m.verb) || m.kind !== 'group'))) continue;
    if (STATIVE.has(m.verb) && !/^be (?:sending|doing|working|preparing|writing|drafting|reviewing|checking|calling|setting)\b/.test(tail)) continue;
    // Questions about someone's plans ("will you be there?") are not tasks unless accepted.
    if (m.kind === 'request' && !m.accepted && !/^(?:please|can|could|would|will)\b/i.test(text.slice(Math.max(0, m.at - 20)).trim()) && s.question) continue;
    const item = taskText(text, m.at, names.find((n) => n.name === m.owner));
    if (item.split(/\s+/).length < 3) continue;
    const key = item.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    // "Today we need to review X" and "let's review X" describe what the meeting is doing now.
    if (m.kind === 'group' && (AGENDA.test(text) || (/\blet(?:'s| us)\s+(?:\w+\s+){0,2}$/i.test(text.slice(0, m.at)) && !future))) continue;
    const hedged = HEDGE.test(text);
    const committed = m.kind === 'self' || m.kind === 'named' || (m.kind === 'request' && m.accepted);
    items.push({
      item,
      owner: m.owner,
      confidence: actionConfidence({ committed, owner: !!m.owner, due: !!due, actionVerb, hedged, unansweredRequest: m.kind === 'request' && !m.accepted }),
      priority: actionPriority(text, due, ref, hedged),
      dueDate: due,
      evidence: [sentenceEvidence(t, s)],
      order: s.id,
    });
  }
  return items
    .sort((a, b) => b.confidence - a.confidence || a.order - b.order)
    .slice(0, limit)
    .sort((a, b) => a.order - b.order)
    .map(({ order: _order, ...rest }) => rest);
}
