// Assembles the key-points document: topic sections with headings and points, decisions,
// action items, participants and important dates, every item carrying evidence.
import type { KeypointSection, Keypoints, PointDetail } from '../schemas.js';
import { extractImportantDates } from './dates.js';
import { extractLearned } from './extraction/model.js';
import { summariseConversation } from './meeting-summary.js';
import { rankPhrases, sectionHeading, withoutSpeakerLabels } from './keyphrases.js';
import { isGenericSpeaker, mentionedPeople, participants } from './participants.js';
import { segmentTopics, type Section } from './segmentation.js';
import { selectSentences, stemDocFreq, termWeights } from './summariser.js';
import { pointScore, pointText } from './points.js';
import { notesVoice } from './rewrite.js';
import { sentenceEvidence, type Transcript } from './transcript.js';
import { titleCase } from './text.js';

export interface SectionAnalysis extends Section {
  heading: string;
  points: PointDetail[];
  /** Sentence ids (into `Transcript.sentences`) the points were taken from. */
  pointIds: number[];
}

/** How many points a section gets: one per ~250 words, 2–5. */
function pointBudget(words: number): number {
  return Math.max(2, Math.min(5, Math.round(words / 250)));
}

export function analyseSections(t: Transcript): SectionAnalysis[] {
  const sections = segmentTopics(t);
  const df = stemDocFreq(t, sections);
  const n = sections.length;
  const idf = (stem: string) => Math.log(1 + n / (df.get(stem) ?? 1)) + 0.3;
  const usedHeadings = new Set<string>();
  const voice = notesVoice(t);
  return sections.map((sec) => {
    const sents = t.sentences.slice(sec.start, sec.end);
    const words = sents.reduce((a, s) => a + s.words, 0);
    const ranked = withoutSpeakerLabels(rankPhrases(sents, { docFreq: df, sectionCount: n }), t.speakers);
    const w = termWeights(sents, idf);
    const picks = selectSentences(sents, (s) => pointScore(s, w), { budgetWords: 200, maxItems: pointBudget(words), maxWordsEach: 40, minWords: 7 });
    const top = [...picks].sort((a, b) => b.score - a.score).map((p) => p.sentence);
    const heading = sectionHeading(ranked, picks.map((p) => p.sentence.id), { avoid: usedHeadings, pointSentences: top });
    // "Remote Control" after "Remote Controls" is the same heading.
    for (const h of [heading, heading.replace(/s$/, ''), `${heading}s`]) usedHeadings.add(h);
    const points = picks.map((p) => ({ text: pointText(p, voice), evidence: [sentenceEvidence(t, p.sentence)] }));
    return { ...sec, heading, points, pointIds: picks.map((p) => p.sentence.id) };
  });
}

function deriveTitle(t: Transcript, sections: SectionAnalysis[]): string {
  if (t.conv.title && t.conv.title.trim()) return t.conv.title.trim();
  const noun = t.conv.kind === 'chat' ? 'Conversation' : 'Discussion';
  const ranked = rankPhrases(t.sentences);
  if (!ranked.length) return t.conv.kind === 'chat' ? 'Conversation' : 'Meeting';
  // The phrase that best covers the key points across the whole conversation.
  const pointIds = sections.flatMap((s) => s.pointIds);
  const name = sectionHeading(ranked, pointIds, { pointSentences: pointIds.slice(0, 1).map((id) => t.sentences[id]) });
  return name === 'General Discussion' ? `${titleCase(ranked[0].text)} ${noun}` : `${name} ${noun}`;
}

/** Names an owner can be referred to by: named speakers, their first names, people mentioned. */
export function ownerNames(t: Transcript, mentioned: string[]): string[] {
  const names = new Set<string>();
  for (const s of t.speakers) {
    if (isGenericSpeaker(s)) continue;
    names.add(s);
    const first = s.split(/\s+/)[0];
    if (/^[A-Z][a-z]+$/.test(first) && s.split(/\s+/).length > 1 && !/^(?:Mr|Mrs|Ms|Dr|Hon|Right|The|Professor|Grad|PhD|Postdoc)$/.test(first)) names.add(first);
  }
  for (const m of mentioned) names.add(m);
  return [...names];
}

export function buildKeypoints(t: Transcript, sections: SectionAnalysis[] = analyseSections(t)): Keypoints {
  const mentioned = mentionedPeople(t);
  // Learned from labelled meetings (npm run train); see src/engines/local/extraction/.
  const { actionItems, decisions } = extractLearned(t, { people: ownerNames(t, mentioned) });
  const outSections: KeypointSection[] = sections
    .filter((s) => s.points.length)
    .map((s) => ({ heading: s.heading, points: s.points.map((p) => p.text), pointDetails: s.points }));
  const summary = summariseConversation(t, sections, { decisionDetails: decisions, actionItems });
  return {
    title: deriveTitle(t, sections),
    ...(summary.text ? { summary: summary.text } : {}),
    sections: outSections,
    decisions: decisions.map((d) => d.text),
    decisionDetails: decisions,
    actionItems,
    participants: participants(t, mentioned),
    importantDates: extractImportantDates(t),
  };
}
