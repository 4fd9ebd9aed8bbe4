// A whole-conversation summary in prose: the topics in order, then the most central sentence of
// each, then decisions. Used for "summarize the meeting" questions and email bodies.
import type { Evidence, Keypoints } from '../schemas.js';
import type { SectionAnalysis } from './keypoints.js';
import { selectSentences, sentenceScore, termWeights, type Pick as SentencePick } from './summariser.js';
import { sentenceEvidence, type Transcript } from './transcript.js';
import { wordCount } from './text.js';

export interface ProseSummary {
  text: string;
  evidence: Evidence[];
}

export function listJoin(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function topicList(sections: SectionAnalysis[], max = 5): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of sections) {
    const h = s.heading.toLowerCase();
    if (seen.has(h) || h === 'general discussion') continue;
    seen.add(h);
    out.push(h);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * ~`budgetWords` of summary. Central sentences are chosen over the whole conversation (one
 * term-weight model) but at most two per section, so every topic gets its share.
 */
export function summariseConversation(t: Transcript, sections: SectionAnalysis[], kp: Pick<Keypoints, 'decisionDetails'>, budgetWords = 130): ProseSummary {
  const topics = topicList(sections);
  const noun = t.conv.kind === 'chat' ? 'conversation' : 'meeting';
  const parts: string[] = [];
  const evidence: Evidence[] = [];
  if (topics.length) parts.push(`The ${noun} covered ${topics.length === 1 ? 'one topic' : `${topics.length} topics`}: ${listJoin(topics)}.`);
  const w = termWeights(t.sentences);
  let used = wordCount(parts.join(' '));
  const perSection = sections.map((sec) =>
    selectSentences(t.sentences.slice(sec.start, sec.end), (s) => sentenceScore(s, w), { budgetWords: 60, maxItems: 2, maxWordsEach: 30, minWords: 8 }),
  );
  // Round-robin over sections (each topic's best sentence first), then back into transcript order.
  const chosen: SentencePick[] = [];
  for (let round = 0; round < 2 && used < budgetWords; round++) {
    for (const picks of perSection) {
      const p = [...picks].sort((a, b) => b.score - a.score)[round];
      if (!p || used >= budgetWords) continue;
      chosen.push(p);
      used += wordCount(p.text);
    }
  }
  for (const p of chosen.sort((a, b) => a.sentence.id - b.sentence.id)) {
    parts.push(p.text);
    evidence.push(sentenceEvidence(t, p.sentence));
  }
  const decisions = kp.decisionDetails.slice(0, 2);
  if (decisions.length && used < budgetWords + 20) {
    parts.push(`Decisions: ${decisions.map((d) => d.text.replace(/[.]$/, '')).join('; ')}.`);
    decisions.forEach((d) => evidence.push(...d.evidence));
  }
  return { text: parts.join(' '), evidence };
}
