// Recognising `Name: text` speaker labels without mistaking ordinary prose for one.
import type { Role } from '../segment.js';

export const MAX_LABEL_CHARS = 40;
export const MAX_LABEL_WORDS = 4;

// Role labels accepted in chat content (Converra: User/Assistant, Human/AI, Customer/Agent).
const ROLE_LABELS: Readonly<Record<string, Role>> = {
  user: 'user',
  human: 'user',
  customer: 'user',
  assistant: 'assistant',
  ai: 'assistant',
  agent: 'assistant',
  system: 'system',
  tool: 'tool',
};

// Words that start lines in notes and headers far more often than they name a speaker.
const NOT_SPEAKERS = new Set([
  'note', 'notes', 'nb', 'n.b', 'ps', 'p.s', 're', 'fyi', 'fwd', 'subject', 'todo', 'warning', 'error', 'tip',
  'important', 'example', 'e.g', 'i.e', 'update', 'edit', 'reminder', 'caution', 'summary', 'agenda', 'decision',
  'decisions', 'action item', 'action items', 'next steps', 'http', 'https', 'ftp', 'mailto', 'www', 'file',
  'title', 'date', 'time', 'meeting', 'attendees', 'participants', 'location', 'duration', 'recording',
  'transcript', 'kind', 'language',
]);

// Lower-case words that legitimately appear inside capitalised names ("Ludwig van Beethoven").
const NAME_PARTICLES = new Set(['van', 'von', 'de', 'da', 'del', 'der', 'den', 'di', 'du', 'la', 'le', 'bin', 'ibn', 'al', 'el', 'y', 'of']);

// Characters that never occur in a speaker name but often in code, markup or sentences.
const FORBIDDEN_LABEL_CHARS = /[<>{}[\]|=*#"`/\\,;?!@$%^~+]/;

/** The role a chat label stands for, or null when it is not a role label. */
export function roleForLabel(label: string): Role | null {
  return ROLE_LABELS[label.trim().toLowerCase()] ?? null;
}

/** True for words such as "Note" or "Agenda" that look like labels but are headings. */
export function isHeadingLabel(label: string): boolean {
  return NOT_SPEAKERS.has(label.trim().toLowerCase().replace(/\.$/, ''));
}

/**
 * Whether `label` is plausible as a speaker name: ≤ 40 characters, ≤ 4 words, contains a letter,
 * is not all digits, and in multi-word labels every word is capitalised (or a name particle),
 * which rejects sentences like "So the plan is: ship it".
 */
export function isPlausibleSpeaker(label: string): boolean {
  const trimmed = label.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_LABEL_CHARS) return false;
  if (!/\p{L}/u.test(trimmed) || FORBIDDEN_LABEL_CHARS.test(trimmed)) return false;
  if (isHeadingLabel(trimmed)) return false;
  const words = trimmed.split(/\s+/);
  if (words.length > MAX_LABEL_WORDS) return false;
  if (words.length === 1) return true;
  return words.every((word) => /^[\p{Lu}\p{Lt}\d(]/u.test(word) || NAME_PARTICLES.has(word.toLowerCase()));
}

export interface SplitLabel {
  label: string;
  rest: string;
}

/**
 * Splits `Label: text` at the first colon when that colon is followed by whitespace or the end
 * of the line. Returns null otherwise (URLs, clock times like "10:30" and mid-sentence colons).
 * Does not judge whether the label is a plausible speaker; callers apply their own rules.
 */
export function splitLabel(line: string): SplitLabel | null {
  const colon = line.indexOf(':');
  if (colon <= 0 || colon > MAX_LABEL_CHARS + 2) return null;
  const after = line.slice(colon + 1);
  if (after.length > 0 && !/^[\s\u00a0]/.test(after)) return null;
  // A label starts the line; leading indentation usually means wrapped prose, not a new speaker.
  if (/^\s/.test(line)) return null;
  const label = line.slice(0, colon).trim();
  if (label.length === 0 || /^\d+$/.test(label)) return null;
  return { label, rest: after.trim() };
}

/** `Name: text` where Name is a plausible speaker; null otherwise. */
export function splitSpeakerLabel(line: string): SplitLabel | null {
  const split = splitLabel(line);
  return split && isPlausibleSpeaker(split.label) ? split : null;
}

// Bracketed sound descriptions in captions, which are not speakers ("[MUSIC] ...").
const SOUND_WORDS = new Set([
  'music', 'laughter', 'laughs', 'laughing', 'applause', 'inaudible', 'crosstalk', 'silence', 'noise', 'background',
  'indistinct', 'sighs', 'coughs', 'coughing', 'pause', 'static', 'unintelligible', 'chuckles', 'beep', 'typing',
  'no audio', 'background noise', 'door closes', 'phone rings',
]);

/**
 * `[Name] text` or `(Name) text` speaker prefixes used in subtitles. The bracket must be followed by
 * text, start with a capital, and not be a sound description such as `[MUSIC]` or `[laughs]`.
 */
export function splitBracketSpeaker(line: string): SplitLabel | null {
  const match = /^\s*[[(]([^\])]{1,40})[\])]:?\s+(\S.*)$/.exec(line);
  if (!match) return null;
  const label = match[1]!.trim();
  if (!/^[\p{Lu}\p{Lt}]/u.test(label) || SOUND_WORDS.has(label.toLowerCase()) || !isPlausibleSpeaker(label)) return null;
  return { label, rest: match[2]!.trim() };
}
