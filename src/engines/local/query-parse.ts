// Understanding a question about a conversation: what kind of answer it wants, which speakers it
// is about, and which content words should drive retrieval.
import type { QueryIntent } from '../schemas.js';
import { relatedTerms } from './related-terms.js';
import { stemSequence, stemsOf } from './retrieval.js';
import { casing, type Transcript } from './transcript.js';

export interface ParsedQuery {
  intent: QueryIntent;
  /** Canonical speakers the question names ("What did Marketing think…"). */
  speakers: string[];
  /** Weighted content stems; the focus of the question weighs more than its "when discussing…" context. */
  terms: Map<string, number>;
  /** The question has content beyond its frame ("summarise the discussion about X" has X). */
  hasTopic: boolean;
  /** Words of the conversation close in meaning to the question's (word vectors), weighted below them. */
  related: Map<string, number>;
  /** Question stems that the conversation says in other words. */
  covered: Set<string>;
}

/** Question framing: words that say what kind of answer is wanted, not what it is about. */
const FRAME_WORDS = new Set(
  `what who whom whose when where why how which did does do was were is are be been the a an of about on in to for and or
  meeting meetings discussion discuss discussed discussing talk talked talking say said think thought opinion opinions view views
  summarize summarise summary summarized whole general overall conversation call group team they them he she his her their
  mention mentioned give gave provide provided mainly main point points idea ideas kind
  reason reasons detail details explain explained describe described reflect reflecting regarding concerning
  participant participants everyone anyone people decide decided decision decisions agree agreed
  commit committed promise promised volunteer volunteered`
    .split(/\s+/)
    .filter(Boolean),
);

const SUMMARY_RE = /\b(?:summari[sz]e|summary|overview|recap|gist|tl;?dr|general discussion|main (?:points|topics|takeaways)|key (?:points|takeaways)|what (?:was|is) (?:the|this) (?:meeting|conversation|call|discussion) about|what happened|what was discussed|what did (?:we|they|the group|the team) (?:discuss|talk about))\b/i;
const ACTIONS_RE = /\b(?:action items?|agreed? to do|commit(?:ted)? to|promised?|(?:take|took|taking) on|volunteer(?:ed)?|sign(?:ed)? up (?:for|to)|next steps?|to-?dos?|follow[- ]ups?|tasks?|assignments?|who (?:is|was|will be) (?:responsible|doing|taking|handling|in charge)|what (?:needs|has|have) to be done|who (?:will|should|needs to) do)\b/i;
const DECISIONS_RE = /\b(?:decided|decide|decisions?|agreed|agreement|conclu(?:de|ded|sion)|settled|resolved)\b/i;
const PEOPLE_RE = /^\s*who\b.*\b(?:attend|attended|participants?|present|there|in (?:the|this) (?:meeting|call)|join|joined|speak|spoke|involved)\b/i;
/** Stems that only say "the people in it" ("who attended", "who was present"). */
const PEOPLE_TERMS = new Set(['attend', 'present', 'join', 'particip', 'speak', 'spoke', 'involv', 'call', 'there']);
const DATES_RE = /\b(?:deadlines?|due|dates?|schedule|timeline|by what day)\b/i;

const CHAT_ROLES: Record<string, string[]> = {
  user: ['customer', 'client', 'caller', 'user'],
  assistant: ['agent', 'assistant', 'bot', 'support agent', 'representative'],
};

function speakerAliases(t: Transcript): Array<{ phrase: string; speaker: string }> {
  const out: Array<{ phrase: string; speaker: string }> = [];
  const seen = new Set<string>();
  // A first name is taken for its speaker when no other speaker has it and the conversation never
  // writes it as an ordinary word ("Ana Souza" is "Ana"; "Project Manager" is not "project").
  const firstNames = new Map<string, Set<string>>();
  for (const canon of t.speakers) {
    const first = canon.split(/\s+/)[0].toLowerCase();
    firstNames.set(first, (firstNames.get(first) ?? new Set()).add(canon));
  }
  for (const word of casing(t).lower) firstNames.delete(word);
  const add = (phrase: string, speaker: string) => {
    const p = phrase.toLowerCase().replace(/[^a-z0-9\s-]/g, ' ').replace(/\s+/g, ' ').trim();
    if (p.length < 3 || FRAME_WORDS.has(p)) return;
    const key = `${p}|${speaker}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ phrase: p, speaker });
  };
  t.segments.forEach((seg, i) => {
    const canon = t.speakerOf[i];
    add(canon, canon);
    // A chat's sides are asked about by what they are: "the customer", "the agent".
    if (t.conv.kind === 'chat') for (const alias of CHAT_ROLES[canon.toLowerCase()] ?? []) add(alias, canon);
    // Roles and titles in parentheses: "Jane Doe (Prime Minister)".
    for (const m of seg.speaker.matchAll(/\(([^)]+)\)/g)) add(m[1].replace(/,.*$/, ''), canon);
    const bare = canon.replace(/^(?:the|right|hon\.?|mr\.?|mrs\.?|ms\.?|dr\.?|\s)+/gi, '').replace(/\s+(?:am|mp|ms|mla)$/i, '');
    add(bare, canon);
    const parts = bare.split(/\s+/);
    // "Professor C" / "Grad B": the role without the anonymising letter.
    if (parts.length === 2 && parts[1].length === 1) add(parts[0], canon);
    // People are also referred to by surname, and by first name when no one else has it.
    else if (parts.length >= 2 && /^[A-Z][a-z]/.test(parts[parts.length - 1])) {
      add(parts[parts.length - 1], canon);
      if (/^[A-Z][a-z]/.test(parts[0]) && firstNames.get(parts[0].toLowerCase())?.size === 1) add(parts[0], canon);
    }
  });
  return out;
}

function containsSequence(hay: string[], needle: string[]): boolean {
  if (!needle.length || needle.length > hay.length) return false;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

export function parseQuery(t: Transcript, query: string): ParsedQuery {
  // Names are matched on stems so "the Industrial Design" finds the "Industrial Designer".
  const queryStems = stemSequence(query);
  const speakers = new Set<string>();
  const aliasWords = new Set<string>();
  for (const { phrase, speaker } of speakerAliases(t)) {
    const words = phrase.split(' ');
    if (containsSequence(queryStems, stemSequence(phrase))) {
      speakers.add(speaker);
      words.forEach((w) => aliasWords.add(w));
      stemSequence(phrase).forEach((w) => aliasWords.add(w));
    }
  }
  // "…when discussing X" / "…during the discussion of X" is context, not the focus.
  // (At the start it is context only when a comma closes it: "When discussing X, what…?";
  // "When is X due?" is a question about X.)
  const lead = query.match(/^\s*(?:when|while|during)\b([^,?]*),(.*)$/i);
  const ctx = lead ? null : query.match(/(?<=\S\s+)\b(?:when|while|during|in the (?:discussion|context) of|as part of)\b(.*)$/i);
  const focusText = lead ? lead[2] : ctx ? query.slice(0, ctx.index) : query;
  const contextText = lead ? lead[1] : ctx ? ctx[1] : '';
  const terms = new Map<string, number>();
  const words: Array<{ word: string; weight: number }> = [];
  const addTerms = (text: string, weight: number) => {
    const kept = text
      .split(/\s+/)
      .map((w) => w.toLowerCase().replace(/[^a-z0-9'-]/g, ''))
      .filter((w) => w && !FRAME_WORDS.has(w) && !aliasWords.has(w) && !aliasWords.has(stemSequence(w)[0] ?? w));
    for (const st of stemsOf(kept.join(' '))) terms.set(st, Math.max(terms.get(st) ?? 0, weight));
    for (const word of kept) words.push({ word, weight });
  };
  addTerms(focusText, 1);
  addTerms(contextText, 0.5);
  const hasTopic = terms.size > 0;

  let intent: QueryIntent = 'specific';
  // "Who joined?" asks for the participants; "Who should join the deep dive?" asks about a topic.
  if (PEOPLE_RE.test(query) && ![...terms.keys()].some((st) => !PEOPLE_TERMS.has(st))) intent = 'people';
  else if (ACTIONS_RE.test(query)) intent = 'action_items';
  else if (SUMMARY_RE.test(query) && !hasTopic) intent = 'summary';
  else if (DECISIONS_RE.test(query) && !hasTopic) intent = 'decisions';
  else if (/^\s*(?:(?:when|by when) (?:is|are|was|were|will|would|does|do|did|should|can|must)|what (?:is|are|was|were) the (?:deadlines?|due dates?|dates?))\b/i.test(query) || (DATES_RE.test(query) && /\b(?:deadline|due|date)/i.test(query))) intent = 'dates';
  else if (!hasTopic && !speakers.size && /\b(?:meeting|conversation|call|discussion)\b/i.test(query)) intent = 'summary';
  const { related, covered } = intent === 'specific' || intent === 'dates' || hasTopic ? relatedTerms(t, words, terms) : { related: new Map<string, number>(), covered: new Set<string>() };
  return { intent, speakers: [...speakers], terms, hasTopic, related, covered };
}
