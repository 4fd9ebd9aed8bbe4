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
    .replace(/[^A-Za-z\-'’.\s]/g, ' ')
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
    const lead = s.raw.match(/^\s*([A-Z][a-z]+)\s*,/);
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
    if (!/^[A-Z]/.test(name) || name.length < 2) continue;
    if (name.split(/\s+/).some((w) => NOT_A_NAME.has(w.toLowerCase()))) continue;
    const first = name.split(/\s+/)[0];
    found.set(name, (found.get(name) ?? 0) + (counts.get(first) ?? 1));
  }
  return [...found.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([n]) => n)
    .slice(0, max);
}

/** Speakers first (as labelled), then mentioned people who are not one of the speakers. */
export function participants(t: Transcript, mentioned: string[]): string[] {
  const out = [...t.speakers];
  const speakerWords = new Set(t.speakers.flatMap((s) => s.toLowerCase().split(/\s+/)));
  for (const name of mentioned) {
    const parts = name.toLowerCase().split(/\s+/);
    if (parts.every((p) => speakerWords.has(p))) continue;
    if (out.some((o) => o.toLowerCase().split(/\s+/).includes(parts[0]) && parts.length === 1)) continue;
    if (out.some((o) => o.toLowerCase() === name.toLowerCase())) continue;
    out.push(name);
  }
  return out;
}
