// A short third-person summary of a dialogue: its most central utterances retold as reported
// speech ("#Person1# asks #Person2# …"), naming people by the names they are addressed with.
import type { Evidence } from '../schemas.js';
import { getCompromise } from './nlp.js';
import { isGenericSpeaker } from './participants.js';
import { reportUtterance } from './reported-speech.js';
import { capitalise } from './text.js';
import { sentenceEvidence, type Sentence, type Transcript } from './transcript.js';

const SMALL_TALK = /^(?:hi|hello|hey|good (?:morning|afternoon|evening)|how are you|how's it going|what's up|nice to meet you|thank(?:s| you)|you're welcome|bye|goodbye|see you|ok(?:ay)?|yes|no|sure|can i help you|may i help you|what can i do for you|how (?:can|may) i help(?: you)?)\b[^a-z]*$/i;
const VOCATIVE_END = /,\s*([A-Z][a-z]+)\s*[.?!]*\s*$/;
const VOCATIVE_START = /^(?:(?:hi|hey|hello|thanks|thank you|good (?:morning|afternoon|evening)|excuse me|sorry|well|oh|look|listen|so)\s*,?\s+)?([A-Z][a-z]+)\s*[,!]/i;
const NOT_NAMES = new Set(['yes', 'no', 'well', 'oh', 'okay', 'ok', 'sure', 'hi', 'hey', 'hello', 'thanks', 'sorry', 'look', 'listen', 'so', 'now', 'please', 'really', 'great', 'good', 'wow', 'right', 'yeah', 'mom', 'dad', 'sir', 'madam', 'ma', 'honey', 'dear', 'darling', 'buddy', 'dude', 'man', 'guys', 'boss', 'doctor', 'professor', 'excuse']);

/** Names speakers are addressed by, from vocatives in the other speakers' turns. */
export function addressedNames(t: Transcript): Map<string, string> {
  const votes = new Map<string, Map<string, number>>();
  t.segments.forEach((_, i) => {
    const speaker = t.speakerOf[i];
    // The addressee is the neighbouring turn's speaker (next if any, else previous).
    let addressee: string | undefined;
    for (let j = i + 1; j < t.segments.length && !addressee; j++) if (t.speakerOf[j] !== speaker) addressee = t.speakerOf[j];
    for (let j = i - 1; j >= 0 && !addressee; j--) if (t.speakerOf[j] !== speaker) addressee = t.speakerOf[j];
    if (!addressee) return;
    for (const s of t.segSentences[i].map((id) => t.sentences[id])) {
      for (const m of [s.raw.match(VOCATIVE_END), s.raw.match(VOCATIVE_START)]) {
        const name = m?.[1];
        if (!name || NOT_NAMES.has(name.toLowerCase())) continue;
        // Only words compromise knows as people's names: "Alright," and "Look," start sentences too.
        if (!getCompromise()(name).has('#Person')) continue;
        const v = votes.get(addressee) ?? new Map<string, number>();
        v.set(name, (v.get(name) ?? 0) + 1);
        votes.set(addressee, v);
      }
    }
  });
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const [speaker, v] of votes) {
    const [name] = [...v.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (taken.has(name) || t.speakers.includes(name)) continue;
    taken.add(name);
    out.set(speaker, name);
  }
  return out;
}

export function displayName(speaker: string, names: Map<string, string>): string {
  const n = names.get(speaker);
  if (n) return n;
  if (/^(?:user|human|customer)$/i.test(speaker)) return 'the user';
  if (/^(?:assistant|ai|agent|bot)$/i.test(speaker)) return 'the assistant';
  if (isGenericSpeaker(speaker) && !/#/.test(speaker)) return `the ${speaker.toLowerCase()}`;
  return speaker;
}

function centrality(t: Transcript): (s: Sentence) => number {
  const tf = new Map<string, number>();
  for (const s of t.sentences) for (const st of s.stems) tf.set(st, (tf.get(st) ?? 0) + 1);
  return (s) => {
    const uniq = new Set(s.stems);
    let v = 0;
    for (const st of uniq) v += Math.log(1 + (tf.get(st) ?? 0));
    return v / Math.sqrt(uniq.size + 2);
  };
}

export interface DialogueSummary {
  text: string;
  evidence: Evidence[];
}

export function summariseDialogue(t: Transcript, maxSentences = 2): DialogueSummary {
  const names = addressedNames(t);
  const score = centrality(t);
  const firstSeg = new Map<string, number>();
  t.speakerOf.forEach((sp, i) => firstSeg.has(sp) || firstSeg.set(sp, i));
  const candidates = t.sentences.filter((s) => s.words >= 4 && !SMALL_TALK.test(s.raw.trim()) && t.segments[s.seg].role !== 'system' && t.segments[s.seg].role !== 'tool');
  if (!candidates.length) return { text: '', evidence: [] };
  // The opening request or question sets what the dialogue is about, so early turns get a bonus.
  const ranked = candidates
    .map((s) => ({ s, v: score(s) * (s.seg <= 1 ? 1.6 : s.seg <= 3 ? 1.2 : 1) }))
    .sort((a, b) => b.v - a.v || a.s.id - b.s.id);
  const chosen: Sentence[] = [];
  for (const { s } of ranked) {
    if (chosen.length >= maxSentences) break;
    // One sentence per speaker first, so both sides of the exchange are represented.
    if (chosen.some((c) => c.speaker === s.speaker) && new Set(candidates.map((c) => c.speaker)).size > chosen.length) continue;
    chosen.push(s);
  }
  chosen.sort((a, b) => a.id - b.id);
  const parts = chosen.map((s) => {
    const self = displayName(s.speaker, names);
    let otherSpeaker: string | undefined;
    for (let j = s.seg - 1; j >= 0 && !otherSpeaker; j--) if (t.speakerOf[j] !== s.speaker) otherSpeaker = t.speakerOf[j];
    for (let j = s.seg + 1; j < t.segments.length && !otherSpeaker; j++) if (t.speakerOf[j] !== s.speaker) otherSpeaker = t.speakerOf[j];
    const other = otherSpeaker ? displayName(otherSpeaker, names) : 'the others';
    return capitalise(reportUtterance(s.tokens, self, other).replace(/[.!?]+$/, '')) + '.';
  });
  return { text: parts.join(' '), evidence: chosen.map((s) => sentenceEvidence(t, s)) };
}
