// Participants: the speakers plus people named in the conversation. Compromise decides what is a
// person's name; it only sees one sentence per capitalised candidate, because tagging a whole
// three-hour transcript would cost most of the key-points time budget.
import { getCompromise } from './nlp.js';
import type { Transcript } from './transcript.js';

const HONORIFIC = /^(?:mr|mrs|ms|miss|dr|prof|professor|sir|madam|hon|right hon|the hon|rt hon|mx)\.?\s+/i;
/** Capitalised words that compromise sometimes calls people but never are in meetings. */
const NOT_A_NAME = new Set([
  'chair', 'chairman', 'chairperson', 'speaker', 'minister', 'president', 'member', 'members', 'hon', 'sir', 'madam', 'god', 'lord',
  'user', 'assistant', 'agent', 'customer', 'bot', 'system', 'okay', 'yeah', 'thanks', 'thank', 'hello', 'hi', 'hey', 'bye', 'mm', 'um', 'uh',
]);
const GENERIC_SPEAKERS = new Set(['user', 'assistant', 'system', 'tool', 'speaker', 'agent', 'customer', 'human', 'ai', 'bot', 'unknown']);

export function isGenericSpeaker(name: string): boolean {
  return GENERIC_SPEAKERS.has(name.toLowerCase()) || /^#?person\s*\d+#?$/i.test(name) || /^speaker\s*\d+$/i.test(name);
}

function normaliseName(raw: string): string {
  return raw
    .replace(/['’]s\b/g, '')
    .replace(/[^\p{L}\-'’.\s]/gu, ' ')
    .replace(HONORIFIC, '')
    .replace(/\.$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Names of people mentioned in the text (not the speakers), most mentioned first. */
export function mentionedPeople(t: Transcript, max = 20): string[] {
  const nlp = getCompromise();
  const firstSentence = new Map<string, number>();
  const counts = new Map<string, number>();
  const capital = /(?<=[a-z,;:]\s+|[a-z,;:]\s*\(\s*)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*/g;
  for (const s of t.sentences) {
    for (const m of s.raw.match(capital) ?? []) {
      const key = m.split(/\s+/)[0];
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (!firstSentence.has(key)) firstSentence.set(key, s.id);
    }
    // A vocative or name at the very start ("Bob, can you…") is also a candidate.
    // So is one that opens a commitment ("Priya will send…").
    const lead = s.raw.match(/^\s*([A-Z][a-z]+)\s*,/) ?? s.raw.match(/^\s*([A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?(?:\s+(?:will|is going to)\b|['’]ll\b)/);
    if (lead) {
      counts.set(lead[1], (counts.get(lead[1]) ?? 0) + 1);
      if (!firstSentence.has(lead[1])) firstSentence.set(lead[1], s.id);
    }
  }
  const candidates = [...counts.entries()]
    .filter(([w]) => !NOT_A_NAME.has(w.toLowerCase()))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 40);
  const sentenceIds = [...new Set(candidates.map(([w]) => firstSentence.get(w)!))].sort((a, b) => a - b);
  if (!sentenceIds.length) return [];
  // Long parliamentary sentences are cut to their first 40 words; names come early in a clause.
  const text = sentenceIds.map((id) => t.sentences[id].raw.replace(/\s+/g, ' ').trim().split(' ').slice(0, 40).join(' ')).join('\n');
  const found = new Map<string, number>();
  for (const p of nlp(text).people().out('array') as string[]) {
    const name = normaliseName(p);
    if (!/^\p{Lu}/u.test(name) || name.length < 2) continue;
    if (name.split(/\s+/).some((w) => NOT_A_NAME.has(w.toLowerCase()))) continue;
    const first = name.split(/\s+/)[0];
    found.set(name, (found.get(name) ?? 0) + (counts.get(first) ?? 1));
  }
  return [...found.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([n]) => n)
    .slice(0, max);
}

const CALENDAR_WORDS = new Set([
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
]);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Lets a lower-case word list also match capitalised ("Thanks"), while names stay case-sensitive. */
const anyCase = (words: string) => words.replace(/\b([a-z])/g, (_, c: string) => `[${c}${c.toUpperCase()}]`);
const OPENER = anyCase(String.raw`(?:ok(?:ay)?|so|and|but|right|hey|hi|hello|thanks|thank you|sorry|um|uh|well|great|cool|yes|yeah|no|morning|good morning|welcome|congrats|bye|perfect|sure)`);
const GREETING = anyCase(String.raw`(?:thanks|thank you|hi|hey|hello|bye|sorry|congrats|welcome|cheers|morning)`);
const INTRO = anyCase(String.raw`(?:I'm|I’m|I am|this is|my name is|name's)`);
const ASK = anyCase(String.raw`(?:ask|asked|asking|get|have|remind|reminded|need|needs|want|wants)`);

/**
 * Whether the conversation treats `name` as someone taking part: addressed ("Thanks, Maria",
 * "Tom, can you…", "Anything else, Marcus?"), introducing themselves, or named as the one who
 * will do something ("Greg will send…", "ask Felix to…"). Brands, products and things that are
 * only talked about ("the TikTok rep", "a Nikon") are none of these.
 */
function takesPart(t: Transcript, name: string): boolean {
  const n = escape(name);
  // No letter may follow the name ("Maria" is not "Mariana"), nor a further capitalised word ("Health Grant").
  const end = String.raw`(?![\p{L}'’-])(?!\s+\p{Lu})`;
  const patterns = [
    new RegExp(String.raw`^\s*(?:${OPENER}[,!.]?\s+)?${n}${end}\s*[,?!]`, 'u'),
    // Not in an address line ("218 Clearwater Crescent, Kanata").
    new RegExp(String.raw`^[^\d]*,\s*${n}${end}\s*[?.!]*\s*$`, 'u'),
    new RegExp(String.raw`\b${GREETING}[,!]?\s+${n}${end}`, 'u'),
    new RegExp(String.raw`\b${INTRO}\s+${n}${end}`, 'u'),
    new RegExp(
      String.raw`(?<![\p{L}])${n}${end}(?:\s+(?:will|can|could|should|needs? to|has to|is going to|is gonna|agreed to|offered to|promised to|said (?:she|he|they)(?:'ll| will| would))|['’](?:ll|s going to|s gonna|s on it))\b`,
      'u',
    ),
    new RegExp(String.raw`\b${ASK}\s+${n}${end}\s+to\b`, 'u'),
    new RegExp(String.raw`\b${anyCase('(?:ask|asked|asking)')}\s+${n}${end}\s+for\b`, 'u'),
  ];
  return t.sentences.some((s) => patterns.some((p) => p.test(s.raw)));
}

/**
 * Speakers first (as labelled), then people who take part without a speaker label of their own:
 * addressed, introducing themselves or named as owners (see takesPart). Someone mentioned by
 * first name and by full name is listed once, by the full name.
 */
export function participants(t: Transcript, mentioned: string[]): string[] {
  const out = [...t.speakers];
  const speakerWords = new Set(t.speakers.flatMap((s) => s.toLowerCase().split(/\s+/)));
  const speakerFirst = t.speakers.map((s) => s.toLowerCase().split(/\s+/)[0]);
  const byFirst = new Map<string, string>();
  for (const name of mentioned) {
    const parts = name.toLowerCase().split(/\s+/);
    if (parts.some((p) => CALENDAR_WORDS.has(p))) continue;
    if (parts.every((p) => speakerWords.has(p))) continue;
    // "Tom" for a speaker labelled "Tomasz Kowalczyk" is that speaker.
    if (parts.length === 1 && speakerFirst.some((f) => f.startsWith(parts[0]) && parts[0].length >= 3)) continue;
    if (out.some((o) => o.toLowerCase() === name.toLowerCase())) continue;
    const first = parts[0];
    const known = byFirst.get(first);
    if (!known || name.split(/\s+/).length > known.split(/\s+/).length) byFirst.set(first, name);
  }
  for (const name of byFirst.values()) {
    // Any leading part may be how they are called: "Wei Jie" for "Wei Jie Tan".
    const words = name.split(/\s+/);
    if (words.some((_, i) => takesPart(t, words.slice(0, i + 1).join(' ')))) out.push(name);
  }
  return out;
}
