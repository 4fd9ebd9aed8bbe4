// Writes a retrieved answer the way a person would give it: the answer first (a date for "when",
// a name for "who", the statement that answers "what"), then what supports it, each statement in
// the third person and attributed to its speaker; the verbatim quotes are the answer's evidence.
// A question said in the conversation is never given back as its own answer.
import type { Evidence } from '../schemas.js';
import { conversationDay, resolveDates } from './dates.js';
import { listJoin, readableDate } from './phrasing.js';
import { notesVoice, rewriteSentence, speakerReference } from './rewrite.js';
import { capitalise, cleanSentence, truncateWords } from './text.js';
import { casing, referenceTime, sentenceEvidence, type Sentence, type Transcript } from './transcript.js';

export type QuestionKind = 'when' | 'who' | 'other';

export function questionKind(query: string): QuestionKind {
  if (/^\s*(?:when|by when|what (?:day|date|time))\b/i.test(query) || /\bwhat (?:is|was) the (?:date|deadline)\b/i.test(query)) return 'when';
  if (/^\s*(?:who|whom|whose)\b/i.test(query) || /\bwhich (?:person|people|one of (?:you|them))\b/i.test(query)) return 'who';
  return 'other';
}

/** The sentence as a note: third person, attributed to its speaker when it does not name them. */
export function reportSentence(t: Transcript, s: Sentence): string {
  const text = truncateWords(rewriteSentence(s.raw, s.speaker, notesVoice(t)) || cleanSentence(s.raw), 40);
  const who = speakerReference(s.speaker);
  if (!who || text.toLowerCase().includes(who.toLowerCase())) return text;
  const first = text.match(/^(?:A\b|[A-Z][a-z]+)/)?.[0];
  // A name keeps its capital: one the conversation writes as a name, or one tagged as a name that
  // the conversation never writes in lower case ("Carla sends…", not "Agency was…" when "agency" is said).
  const opening = s.tokens.find((tok) => /\w/.test(tok.value));
  const { names, lower } = casing(t);
  const keep = !first || first === 'I' || names.has(first) || (opening?.value === first && opening.pos === 'PROPN' && !lower.has(first.toLowerCase()));
  return `${capitalise(who)} said ${keep ? text : text[0].toLowerCase() + text.slice(1)}`;
}

const NOT_FIRST_NAMES = /^(?:The|This|That|Our|Your|Their|And|But|So|If|On|In|At|By|For|With|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)$/;

/** Full names in a sentence ("Lena Park", "Olu Adeyemi"): two capitalised words past its first word. */
function peopleIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<=\S\s+)([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?) ([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)\b/g)) {
    if (!NOT_FIRST_NAMES.test(m[1]) && !NOT_FIRST_NAMES.test(m[2])) out.push(`${m[1]} ${m[2]}`);
  }
  return [...new Set(out)];
}

/** "When is the go/no-go meeting?" → "The go/no-go meeting is"; null for other shapes. */
export function whenSubject(query: string): string | null {
  const m = query.trim().match(/^when\s+(is|are|was|were|will)\s+(.+?)(?:\s+(be|happen|happening|scheduled|due|planned|taking place|held))?\s*\??$/i);
  if (!m) return null;
  // The asker's "my" is "your" in the answer.
  m[2] = m[2].replace(/\bmy\b/gi, 'your').replace(/\bI\b/g, 'you');
  // "When is the technician coming?" → "The technician is coming".
  const ing = !m[3] && m[2].match(/^(.+?)\s+(\w+ing)$/i);
  if (ing && /^(?:is|are|was|were)$/i.test(m[1])) return `${subjectOf(ing[1])} ${m[1].toLowerCase()} ${ing[2]}`;
  // "When was the ticket opened?" → "The ticket was opened".
  const done = !m[3] && /^(?:is|are|was|were)$/i.test(m[1]) && m[2].match(/^(.+?)\s+(\w+ed)$/i);
  if (done) return `${subjectOf(done[1])} ${m[1].toLowerCase()} ${done[2]}`;
  // "When will my book arrive?" → "Your book will arrive".
  const act = !m[3] && /^will$/i.test(m[1]) && m[2].match(/^(.+?)\s+([a-z]+)$/);
  if (act) return `${capitalise(act[1])} will ${act[2]}`;
  const verb = m[1].toLowerCase() === 'will' ? 'will be' : m[1].toLowerCase();
  return `${subjectOf(m[2])} ${verb}${m[3] && /due/i.test(m[3]) ? ' due' : ''}`;
}

/** The question's subject opening an answer: "the go/no-go meeting" → "The go/no-go meeting". */
const subjectOf = (text: string) => capitalise(text.replace(/^(?:the|our|this)\s+/i, (x) => x.toLowerCase()));

export interface ComposedAnswer {
  text: string;
  evidence: Evidence[];
}

/**
 * `chosen` are the answering sentences, best first. The lead is built for the question's kind;
 * the rest follow in transcript order as attributed statements.
 */
export function composeAnswer(t: Transcript, query: string, chosen: Sentence[]): ComposedAnswer {
  const kind = questionKind(query);
  const [best] = chosen;
  const parts: string[] = [];
  if (kind === 'when') {
    const ref = referenceTime(t);
    // "When is…" asks about what is ahead: a date before the conversation's day answers it only
    // when nothing ahead does ("When was…" asks about the past).
    const today = conversationDay(t);
    const past = /^\s*when\s+(?:was|were|did|had)\b/i.test(query);
    // The date may be said in another sentence of an answering turn ("I've booked the appointment
    // for Thursday, August 13th. The technician will call before arrival.").
    const turnmates = chosen.flatMap((s) => t.segSentences[s.seg].filter((id) => id !== s.id).map((id) => t.sentences[id]));
    const datesOf = (list: Sentence[]) => list.flatMap((s) => resolveDates(s.raw, ref, { timeZone: t.conv.timeZone ?? null }).map((d) => ({ s, d })));
    const ahead = (x: { d: { date: string; past?: boolean } }) => !!today && x.d.date >= today && !x.d.past;
    const dated = past || !today ? datesOf(chosen)[0] : (datesOf(chosen).find(ahead) ?? datesOf(turnmates).find(ahead));
    if (dated) {
      const subject = whenSubject(query);
      parts.push(subject ? `${subject} on ${readableDate(dated.d!.date)}.` : `On ${readableDate(dated.d!.date)}.`);
      if (dated.s !== best) chosen = [dated.s, ...chosen.filter((s) => s !== dated.s)];
    }
  }
  if (kind === 'who') {
    // The people the answer names ("Lena Park signs off"), else whoever said it.
    const asked = query.toLowerCase();
    const named = peopleIn(best.raw).filter((n) => !asked.includes(n.toLowerCase()));
    const who = named.length ? listJoin(named) : speakerReference(best.speaker);
    if (who) parts.push(`${capitalise(who)}.`);
  }
  const lead = chosen[0];
  parts.push(reportSentence(t, lead));
  const rest = chosen.slice(1).sort((a, b) => a.id - b.id);
  const text = [...parts, ...rest.map((s) => reportSentence(t, s))].join(' ');
  return { text, evidence: [lead, ...rest].map((s) => sentenceEvidence(t, s)) };
}
