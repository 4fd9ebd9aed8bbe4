// Who a task belongs to: the speaker who commits, the person asked (by name or as the next
// speaker who accepts), or a person or team named in the conversation — never anyone else.
import { isGenericSpeaker } from '../participants.js';
import { casing, type Sentence, type Transcript } from '../transcript.js';

/** Words that look like a vocative or a nickname but never name anyone. */
const PRONOUNS = new Set(['me', 'we', 'us', 'you', 'so', 'ok', 'okay', 'oh', 'hi', 'no', 'yes', 'and', 'but', 'then', 'now', 'right', 'well', 'sure', 'thanks']);

const ACCEPTS = /^\s*(?:(?:yes|yeah|yep|sure|ok|okay|certainly|absolutely|of course|no problem|will do|definitely|fine|alright|on it|can do|happy to|sounds good)\b|i(?:'ll| will| can|'m on)\b)/i;
/** "I'm thinking…", "I'm going…": progressives that say what the speaker thinks or is about to say, not work. */
export const NOT_DOING = "(?!(?:thinking|wondering|guessing|hoping|saying|trying|looking|talking|asking|getting at|going)\\b)";

const SELF = new RegExp(String.raw`\b(?:i (?:do(?! (?:think|not|know|agree|believe|like|see|feel|remember|mean|want|hope|wonder)\b)|get|send|check|take|handle|book|call|email|ping|chase|update|draft|write|set up|follow up|talk to|own)\b|i'd rather|i'll|i will|i'm going to|i am going to|i'm gonna|i can|let me|i'm happy to|i'd be happy to|i'll go ahead and|i need to|i have to|i should|i'm on it|i(?:'m|’m| am) ${NOT_DOING}(?!(?:not|just|sure|sorry|glad|happy|afraid|worried)\b)[a-z]+ing\b(?=[^.?!]*\b(?:today|tonight|tomorrow|this (?:week|morning|afternoon|evening)|next (?:week|monday|tuesday|wednesday|thursday|friday)|by (?:monday|tuesday|wednesday|thursday|friday|tomorrow|tonight|end of|eod|the))\b)|that's (?:on )?me|that(?:'ll| will) be me|that one's mine|leave (?:it|that) (?:to|with) me)\b`, 'i');
const ASKED = /\b(?:can|could|would|will) you\b|\byou(?:'ll| will| need to| should| have to| must| can| could|'d need to|'re (?:gonna|going to)|'re (?:\w+ing)| guys)\b|\bplease\b|\bi(?:'d| would) like (?:to receive|you)\b|\byour (?:job|task|homework)\b/i;
const GROUP = /\b(?:we need to|we'll need to|we should|we have to|we must|we've got to|let's|let us|we're going to|we'll|we will|everyone|everybody|all of us|each of you)\b/i;
/** The whole room addressed ("Everyone, please…", "can you all…", "each of you"). */
const EVERYONE = /^\s*(?:(?:okay|ok|so|and|right|alright)[,\s]+)*(?:every(?:one|body)|all of you|each of you|you all|you guys)\b|\b(?:can|could|would|will) you all\b|\b(?:all of you|each of you|you each)\b|\bevery(?:one|body) (?:please|needs? to|should|has to|must|will|gets? to)\b/i;
/** Teams named as owners ("the design team will…", "support will…"). */
const TEAM = /\b((?:the\s+)?(?:[a-z]+\s+)?(?:team|support|engineering|design|marketing|finance|legal|sales|ops|operations|qa|customer success|supervisor|technician))\s+(?:will|'ll|is going to|can|should|needs to|has to)\b/i;

export interface Names {
  /** Canonical names owners may take: the speakers (not generic roles) and people mentioned. */
  people: string[];
}

/** Lower case without accents ("Antônio" -> "antonio"). */
const plain = (x: string) => x.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** The full person a first name or nickname ("Tom" for Tomasz Kowalczyk) refers to, if any. */
export function resolvePerson(word: string, t: Transcript, names: Names): string | null {
  const w = plain(word);
  if (w.length < 2 || PRONOUNS.has(w)) return null;
  const speakers = t.speakers.filter((s) => !isGenericSpeaker(s));
  // Speakers first, by full or first name, then by a nickname ("Tom" for Tomasz); then people
  // mentioned, the fullest form of the name ("Anja Richter" over "Anja").
  for (const p of speakers) if (plain(p) === w || plain(p).split(/\s+/)[0] === w) return p;
  for (const p of speakers) if (w.length >= 2 && plain(p).split(/\s+/)[0].startsWith(w)) return p;
  const mentioned = names.people.filter((p) => plain(p) === w || plain(p).split(/\s+/)[0] === w).sort((a, b) => b.length - a.length);
  return mentioned[0] ?? nicknames(t).get(w) ?? null;
}

const nicknameCache = new WeakMap<Transcript, Map<string, string>>();

/**
 * Nicknames the conversation itself teaches: "Bia, tell the mall…" answered at once by Beatriz Lima
 * ("Okay, I'll tell them") makes "Bia" Beatriz for the rest of it. Only a word written as a name that
 * is no speaker's, shares its first letter with the one who answers, and always points at that one.
 */
function nicknames(t: Transcript): Map<string, string> {
  let out = nicknameCache.get(t);
  if (out) return out;
  const speakers = t.speakers.filter((s) => !isGenericSpeaker(s));
  const firstNames = new Set(speakers.map((p) => plain(p).split(/\s+/)[0]));
  const seen = new Map<string, Set<string>>();
  const { names } = casing(t);
  t.segments.forEach((_, i) => {
    // The turn's last sentence is what the next speaker answers.
    const last = t.segSentences[i]?.at(-1);
    const m = last === undefined ? null : t.sentences[last].raw.match(/^\s*(?:(?:hey|so|okay|ok|and|um|uh|right)[,\s]+)*([A-Z][a-zà-ÿ]+)\s*,/);
    const nx = i + 1 < t.segments.length && t.speakerOf[i + 1] !== t.speakerOf[i] ? i + 1 : -1;
    if (!m || nx < 0) return;
    const w = plain(m[1]);
    const who = t.speakerOf[nx];
    // A word the conversation writes as a name (capitalised mid-sentence, never in lower case):
    // not a filler ("Um,") or an adverb ("Honestly,").
    if (!names.has(m[1]) || PRONOUNS.has(w) || firstNames.has(w) || isGenericSpeaker(who) || plain(who)[0] !== w[0]) return;
    if (!ACCEPTS.test(t.segments[nx].text)) return;
    const set = seen.get(w) ?? new Set<string>();
    set.add(who);
    seen.set(w, set);
  });
  out = new Map([...seen].filter(([, v]) => v.size === 1).map(([k, v]) => [k, [...v][0]]));
  nicknameCache.set(t, out);
  return out;
}

/** Name addressed in the sentence ("Priya, can you…", "…by Friday, Tom?"). */
function vocative(raw: string, t: Transcript, names: Names): string | null {
  const m = raw.match(/^\s*(?:(?:hey|so|okay|and|um|uh)[,\s]+)*([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)\s*,/) ?? raw.match(/,\s*([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)\s*[?.!]?\s*$/);
  return m ? resolvePerson(m[1], t, names) : null;
}

/** "Priya will…", "Marcus is going to…": a named person as the subject of a future task. */
function namedSubject(raw: string, t: Transcript, names: Names): string | null {
  for (const m of raw.matchAll(/\b([A-Z][a-zà-ÿ]+)(?:\s+[A-Z][a-z]+)?(?:'s)?\s+(?:will|'ll|is going to|is gonna|gonna|can|could|should|needs to|has to|agreed to|offered to|to|(?!is\b|was\b|has\b|does\b(?! the))[a-z]+(?:es|s))\b/g)) {
    const p = resolvePerson(m[1], t, names);
    if (p) return p;
  }
  return null;
}

function nextOther(t: Transcript, seg: number): number {
  for (let i = seg + 1; i < Math.min(t.segments.length, seg + 3); i++) if (t.speakerOf[i] !== t.speakerOf[seg]) return i;
  return -1;
}

function prevOther(t: Transcript, seg: number): number {
  for (let i = seg - 1; i >= Math.max(0, seg - 2); i--) if (t.speakerOf[i] !== t.speakerOf[seg]) return i;
  return -1;
}

/** A speaker label as an owner: chat roles name nobody, unless the agent introduced themself. */
function speakerOwner(t: Transcript, speaker: string, upTo = t.segments.length): string | null {
  if (!isGenericSpeaker(speaker)) return speaker;
  // "This is Aoife from billing", "my name is Kyle": the agent's own name, said in the chat; the
  // latest one before the task, since a bot often hands over to a person. Bots' names do not count.
  let name: string | null = null;
  for (let i = 0; i <= Math.min(upTo, t.segments.length - 1); i++) {
    if (t.speakerOf[i] !== speaker) continue;
    const m = t.segments[i].text.match(/\b(?:this is|my name is|i'm|i am)\s+([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})\b(?=\s+(?:from|with|here|on|at|and)\b|[,.!])(?![,.]?\s+(?:your|the|a)\s+(?:\w+\s+)?(?:assistant|bot))/);
    if (m && !/^(?:Sorry|Happy|Glad|Here|Afraid|Not|Just|So)$/.test(m[1].split(/[ -]/)[0])) name = m[1];
  }
  return name ?? greetedAs(t, speaker, upTo);
}

/** The name the other side greets or thanks a chat role by ("Hi Niamh,", "Thank you, Marc-André."). */
function greetedAs(t: Transcript, speaker: string, upTo: number): string | null {
  for (let i = 0; i <= Math.min(upTo, t.segments.length - 1); i++) {
    if (t.speakerOf[i] === speaker) continue;
    const m = t.segments[i].text.match(/^\s*(?:hi|hello|hey|thanks|thank you|sorry)[,!]?\s+([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)\s*[,.!]/i);
    if (m && !PRONOUNS.has(m[1].toLowerCase()) && !/^(?:There|So|For|Again|Very|All|Everyone)$/.test(m[1])) return m[1];
  }
  return null;
}

/**
 * Speakers labelled by role ("Industrial Designer") are also referred to by role in the talk:
 * "the industrial designer", "I_D_", "the marketing person". Returns the role mentioned first.
 */
function roleMentioned(raw: string, t: Transcript, asSubject = false): string | null {
  let best: { at: number; who: string } | null = null;
  for (const sp of t.speakers) {
    // Only plain role labels (letters and spaces), so they can go into a pattern as they are.
    if (isGenericSpeaker(sp) || !/^(?:[A-Z][a-z]+ ?){1,3}$/.test(sp)) continue;
    const parts = sp.trim().split(' ');
    const initials = parts.map((w) => `${w[0]}_`).join('');
    // Spoken labels carry hesitations ("the Industrial uh Designer").
    const alias = parts.length > 1 ? [parts.join(String.raw`\s+(?:(?:uh|um|er|erm)\s+)?`), initials, `${initials}D_`] : [`${sp.trim()} (?:person|expert|people|guy)`];
    const subject = asSubject ? String.raw`(?:\s+(?:uh|um)\b)?\s+(?:is|are|has|have|will|'ll|should|can|could|needs?|gonna|going|to|must|shall)\b` : '';
    const m = raw.match(new RegExp(`(?:^|[^A-Za-z_])(?:${alias.join('|')})(?![A-Za-z])${subject}`, 'i'));
    if (m && (!best || m.index! < best.at)) best = { at: m.index!, who: sp };
  }
  return best?.who ?? null;
}

export interface OwnerGuess {
  owner: string | null;
  /** The person the speaker addresses, for resolving "you". */
  addressee: string | null;
  kind: 'self' | 'named' | 'asked' | 'group' | 'team' | 'none';
}

export function ownerOf(t: Transcript, s: Sentence, names: Names): OwnerGuess {
  const raw = s.raw;
  const seg = s.seg;
  if (/^\s*(?:and\s+)?me\s*,/i.test(raw)) return { owner: speakerOwner(t, s.speaker, seg), addressee: null, kind: 'self' };
  const voc = vocative(raw, t, names);
  const nx = nextOther(t, seg);
  const accepted = nx >= 0 && ACCEPTS.test(t.segments[nx].text) ? t.speakerOf[nx] : null;
  const others = t.speakers.filter((x) => x !== s.speaker);
  const addressee = voc ?? accepted ?? (others.length === 1 ? speakerOwner(t, others[0], seg) : null) ?? (prevOther(t, seg) >= 0 ? t.speakerOf[prevOther(t, seg)] : null);
  const named = namedSubject(raw, t, names);
  if (named && named !== s.speaker) return { owner: named, addressee, kind: 'named' };
  const team = raw.match(TEAM);
  if (team && !/^(?:the\s+)?(?:we|i|you)\b/i.test(team[1])) return { owner: team[1].replace(/^the\s+/i, '').replace(/^\w/, (c) => c.toUpperCase()), addressee, kind: 'team' };
  const role = roleMentioned(raw, t);
  if (role && role !== s.speaker && !SELF.test(raw)) return { owner: role, addressee: addressee ?? role, kind: 'named' };
  if (SELF.test(raw) && !/\b(?:can|could|would|will) i\b/i.test(raw)) return { owner: speakerOwner(t, s.speaker, seg), addressee, kind: 'self' };
  if (EVERYONE.test(raw) && t.conv.kind === 'meeting' && t.speakers.length > 2) return { owner: 'all', addressee, kind: 'group' };
  if (ASKED.test(raw) || voc) {
    // Without a name or an acceptance, the person who answers is usually the one asked.
    const answers = nx >= 0 ? speakerOwner(t, t.speakerOf[nx], seg) : null;
    const who = voc ?? accepted ?? (others.length === 1 ? speakerOwner(t, others[0], seg) : answers);
    return { owner: who, addressee, kind: 'asked' };
  }
  if (GROUP.test(raw)) return { owner: t.conv.kind === 'meeting' && t.speakers.length > 2 ? 'all' : speakerOwner(t, s.speaker, seg), addressee, kind: 'group' };
  return { owner: speakerOwner(t, s.speaker, seg), addressee, kind: 'none' };
}

/** Cues of a sentence that say who is meant to act, crossed with each candidate's relation to it. */
const OWNER_CUES: Array<[string, RegExp]> = [
  ['self', SELF],
  ['asked', ASKED],
  ['group', GROUP],
  ['question', /\?\s*$/],
  ['you', /\byou\b/i],
  ['we', /\b(?:we|we'll|let's|us)\b/i],
  ['i', /\b(?:i|i'll|i'm|me)\b/i],
  ['meLead', /^\s*(?:and\s+)?me\s*,/i],
  ['everyone', EVERYONE],
  ['somebody', /\b(?:somebody|someone|anyone|who(?:'s| is| can| wants))\b/i],
  ['past', /\b(?:did|was|were|had|already|yesterday|last (?:week|time))\b/i],
];

/**
 * Every person a task could belong to, with how each relates to one sentence of it: its speaker,
 * the next or previous other speaker (and whether they accept), the person addressed by name, a
 * named subject, a team, a role mentioned, everyone; each relation also crossed with the sentence's
 * cues. The learned owner model weighs these; the rule above is one of the signals.
 */
export function ownerSignals(t: Transcript, s: Sentence, names: Names): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const cues = OWNER_CUES.filter(([, re]) => re.test(s.raw)).map(([c]) => c);
  const add = (who: string | null, rel: string) => {
    if (!who) return;
    const list = out.get(who) ?? [];
    list.push(rel, ...cues.map((c) => `${rel}|${c}`));
    out.set(who, list);
  };
  add(speakerOwner(t, s.speaker, s.seg), 'speaker');
  const nx = nextOther(t, s.seg);
  if (nx >= 0) {
    const who = speakerOwner(t, t.speakerOf[nx], s.seg);
    add(who, 'next');
    if (ACCEPTS.test(t.segments[nx].text)) add(who, 'nextAccepts');
  }
  const pv = prevOther(t, s.seg);
  if (pv >= 0) add(speakerOwner(t, t.speakerOf[pv], s.seg), 'prev');
  add(vocative(s.raw, t, names), 'vocative');
  add(namedSubject(s.raw, t, names), 'named');
  const team = s.raw.match(TEAM);
  if (team && !/^(?:the\s+)?(?:we|i|you)\b/i.test(team[1])) add(team[1].replace(/^the\s+/i, '').replace(/^\w/, (c) => c.toUpperCase()), 'team');
  add(roleMentioned(s.raw, t), 'role');
  add(roleMentioned(s.raw, t, true), 'roleSubject');
  if (t.conv.kind === 'meeting' && t.speakers.length > 2) add('all', 'all');
  // Anyone else in a small meeting may be the "you" of a task handed out without a name.
  if (t.conv.kind === 'meeting' && t.speakers.length <= 8) for (const sp of t.speakers) if (sp !== s.speaker && !isGenericSpeaker(sp)) add(sp, 'room');
  const rule = ownerOf(t, s, names);
  add(rule.owner, `rule:${rule.kind}`);
  return out;
}
