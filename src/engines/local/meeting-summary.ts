// A whole-conversation summary in prose, written the way a person would open their notes: what
// the conversation was for (its topics), the central points of each topic in the third person,
// what was decided and what happens next. Used as the key points' `summary`, for "summarize the
// meeting" questions and in email bodies.
import type { Evidence, Keypoints } from '../schemas.js';
import type { SectionAnalysis } from './keypoints.js';
import { actionClause, confirmationsSentence, decisionsSentence, listJoin, readsAsTask } from './phrasing.js';
import { notesVoice, rewriteSentence, sentenceClean } from './rewrite.js';
import { selectSentences, sentenceScore, termWeights, type Pick as SentencePick } from './summariser.js';
import { capitalise, truncateWords, wordCount } from './text.js';
import { casing, sentenceEvidence, type Sentence, type Transcript } from './transcript.js';

export { listJoin };

/** Second person, which a summary cannot resolve in talk among several people. */
const ADDRESSED = /\byou(?:r|rs|rself|['’](?:re|ll|ve|d))?\b/i;
const ADDRESSED_WEIGHT = 0.3;

export interface ProseSummary {
  text: string;
  /** The summary's sentences, in order. */
  sentences: string[];
  evidence: Evidence[];
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

type SummaryInput = Pick<Keypoints, 'decisionDetails'> & Partial<Pick<Keypoints, 'actionItems'>>;

/** The next steps worth a summary sentence: owned and dated ones first, at most `max`. */
function nextSteps(kp: SummaryInput, max: number): NonNullable<SummaryInput['actionItems']> {
  // Only tasks that read as one ("send the deck", "the TikTok Shop setup"): a quoted clause
  // ("you're looking at the design…") does not fit "Ana will …" and reads as a transcript.
  const items = (kp.actionItems ?? []).filter((a) => readsAsTask(a.item));
  const rank = (a: (typeof items)[number]) => (a.owner ? 2 : 0) + (a.dueDate ? 1 : 0);
  return [...items]
    .map((a, i) => ({ a, i }))
    .sort((x, y) => rank(y.a) - rank(x.a) || x.i - y.i)
    .slice(0, max)
    .sort((x, y) => x.i - y.i)
    .map((x) => x.a);
}

/**
 * 3–6 sentences (about `budgetWords` words): the topics, the most central sentence of each topic
 * (one term-weight model over the whole conversation, round-robin over sections so every topic
 * gets its share), the decisions and the next steps.
 */
export function summariseConversation(t: Transcript, sections: SectionAnalysis[], kp: SummaryInput, budgetWords = 130): ProseSummary {
  const topics = topicList(sections);
  const noun = t.conv.kind === 'chat' ? 'conversation' : 'meeting';
  const voice = notesVoice(t);
  const opening = topics.length ? `The ${noun} was mainly about ${listJoin(topics.map((x) => `the ${x}`))}.` : '';
  const settled = kp.decisionDetails.slice(0, 3).map((d) => d.text);
  const decisions = t.conv.kind === 'chat' ? confirmationsSentence(settled) : decisionsSentence(settled);
  const steps = nextSteps(kp, 3);
  const stepsSentence = steps.length ? `Next, ${listJoin(steps.map((a) => actionClause(a, { unowned: 'the team' })))}.` : '';
  const fixed = [opening, decisions, stepsSentence].filter(Boolean);
  const room = Math.max(1, 6 - fixed.length);

  const w = termWeights(t.sentences);
  const { names } = casing(t);
  // In a summary nobody is spoken to: a sentence addressed to someone ("Lukas, talk to Felix…",
  // "Imagine you take that photo…") reads as transcript, so it is chosen only when nothing else is.
  const addressed = (s: Sentence) => {
    const clean = sentenceClean(s).clean;
    const first = clean.match(/^([A-Z][a-z]+),\s/)?.[1];
    return (first !== undefined && names.has(first)) || (t.conv.kind !== 'chat' && ADDRESSED.test(clean));
  };
  const perSection = sections.map((sec) =>
    selectSentences(t.sentences.slice(sec.start, sec.end), (s) => {
      const v = sentenceScore(s, w);
      return v > 0 ? v * sentenceClean(s).fluency ** 2 * (addressed(s) ? ADDRESSED_WEIGHT : 1) : 0;
    }, { budgetWords: 80, maxItems: 3, maxWordsEach: 60, minWords: 8 }),
  );
  // Sentences already told by the decisions or next steps are not repeated.
  const told = new Set([...kp.decisionDetails.slice(0, 3), ...steps].flatMap((d) => d.evidence.map((e) => `${e.segmentIndex}|${e.quote}`)));
  const isTold = (p: SentencePick) => told.has(`${t.segments[p.sentence.seg].index}|${sentenceEvidence(t, p.sentence).quote}`);
  let used = wordCount(fixed.join(' '));
  const chosen: Array<{ pick: SentencePick; text: string }> = [];
  for (let round = 0; round < 3 && chosen.length < room; round++) {
    for (const picks of perSection) {
      if (chosen.length >= room || (used >= budgetWords && chosen.length + fixed.length >= 3)) break;
      const p = [...picks].sort((a, b) => b.score - a.score)[round];
      if (!p || isTold(p)) continue;
      const text = truncateWords(rewriteSentence(p.sentence.raw, p.sentence.speaker, voice) || p.text, 35);
      chosen.push({ pick: p, text });
      used += wordCount(text);
    }
  }
  chosen.sort((a, b) => a.pick.sentence.id - b.pick.sentence.id);
  const body = chosen.map((c) => capitalise(c.text));
  const sentences = [opening, ...body, decisions, stepsSentence].filter(Boolean);
  const evidence: Evidence[] = [
    ...chosen.map((c) => sentenceEvidence(t, c.pick.sentence)),
    ...kp.decisionDetails.slice(0, 3).flatMap((d) => d.evidence),
    ...steps.flatMap((a) => a.evidence),
  ];
  return { text: sentences.join(' '), sentences, evidence };
}
