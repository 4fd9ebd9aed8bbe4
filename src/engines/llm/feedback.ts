// Coaching feedback. Talk share, interruptions, questions, fillers, pace, monologues and the
// category scores are measured exactly as the local engine measures them (the same functions),
// so a score never depends on which engine ran; the model only writes the coaching text and
// picks the moments that illustrate it, which are verified to be the person's own words.
import { AppError } from '../../domain/errors.js';
import { computeMetrics, pickUser, publicMetrics } from '../local/feedback-metrics.js';
import { FORMULA_VERSION, categoryScores, languageCounts, overallScore } from '../local/feedback-scores.js';
import { prepareTranscript, segmentClock, type Transcript } from '../local/transcript.js';
import { feedbackMetricsSchema, feedbackResultSchema, type Evidence, type FeedbackResult, type GrowthArea, type Strength } from '../schemas.js';
import { MIN_FEEDBACK_SEGMENTS, type EngineConversation } from '../types.js';
import { callStructured } from './call.js';
import { budgetFor, fits, type LlmContext } from './context.js';
import { mergeEvidence, scopeOf, verifyEvidence, type EvidenceScope } from './evidence.js';
import { finalize } from './finalize.js';
import {
  FEEDBACK_MERGE_SYSTEM, FEEDBACK_SYSTEM, OBSERVE_SYSTEM, feedbackMergePrompt, feedbackFromNotesSchema, feedbackModelSchema, feedbackPrompt, metricsText, observationsSchema, observePrompt,
} from './prompts/feedback.js';
import { mapLimit } from './run.js';
import { cleanText } from './similarity.js';
import { chunkTranscript } from './transcript.js';

/** Scores come from the local formulas; the suffix tells cached results from the two engines apart. */
export const LLM_FORMULA_VERSION = `${FORMULA_VERSION}+llm`;

interface Coaching {
  strengths: Array<{ category: string; description: string; evidence: Evidence[] }>;
  growthAreas: Array<{ category: string; description: string; suggestion: string; evidence: Evidence[] }>;
  topPriority: { focus: string; reason: string; alternative: string; evidence: Evidence[] };
  actionPlan: string[];
}

interface Observation {
  id: string;
  kind: 'strength' | 'growth';
  category: string;
  note: string;
  evidence: Evidence[];
}

/** Interleaves the parts' observations so that, if not all fit, every part is still represented. */
function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let k = 0; lists.some((l) => k < l.length); k++) for (const l of lists) if (k < l.length) out.push(l[k]);
  return out;
}

async function coachWhole(ctx: LlmContext, c: EngineConversation, user: string, metrics: string, text: string, scope: EvidenceScope): Promise<Coaching> {
  const raw = await callStructured(ctx.call, { step: 'feedback', system: FEEDBACK_SYSTEM, prompt: feedbackPrompt(c, user, metrics, text), schema: feedbackModelSchema });
  const ev = (list: Array<{ segmentIndex: number; quote: string }>) => verifyEvidence(scope, list, 2);
  return {
    strengths: raw.strengths.map((s) => ({ ...s, evidence: ev(s.evidence) })),
    growthAreas: raw.growthAreas.map((g) => ({ ...g, evidence: ev(g.evidence) })),
    topPriority: { ...raw.topPriority, evidence: ev(raw.topPriority.evidence) },
    actionPlan: raw.actionPlan,
  };
}

async function coachInParts(ctx: LlmContext, c: EngineConversation, user: string, metrics: string, userPositions: Set<number>): Promise<Coaching> {
  const budget = budgetFor(ctx, OBSERVE_SYSTEM, observePrompt(c, user, { id: 0, lines: [], text: '', tokens: 0, positions: [], firstIndex: 0, lastIndex: 0 }, 2));
  const chunks = chunkTranscript(c.segments, budget);
  const perChunk = await mapLimit(chunks, ctx.concurrency, async (chunk, signal) => {
    const raw = await callStructured(ctx.call, { step: 'feedback.map', system: OBSERVE_SYSTEM, prompt: observePrompt(c, user, chunk, chunks.length), schema: observationsSchema, signal });
    const scope = scopeOf(c.segments, chunk.positions.filter((p) => userPositions.has(p)));
    return raw.observations
      .map((o) => ({ kind: o.kind, category: o.category, note: cleanText(o.note), evidence: verifyEvidence(scope, o.evidence, 1) }))
      .filter((o) => o.note)
      .slice(0, 6);
  });

  const order = interleave(perChunk.map((list, k) => list.map((o, j) => ({ ...o, at: k * 100 + j }))));
  let chosen = order;
  const render = (list: Array<Pick<Observation, 'kind' | 'category' | 'note' | 'evidence'>>) =>
    feedbackMergePrompt(c, user, metrics, list.map((o, k) => ({ id: `o${k + 1}`, kind: o.kind, category: o.category, note: o.note, quote: o.evidence[0]?.quote ?? '' })));
  while (chosen.length > 1 && !fits(ctx, FEEDBACK_MERGE_SYSTEM, render(chosen))) chosen = chosen.slice(0, -1);
  const notes: Observation[] = [...chosen].sort((a, b) => a.at - b.at).map((o, k) => ({ id: `o${k + 1}`, kind: o.kind, category: o.category, note: o.note, evidence: o.evidence }));
  const byId = new Map(notes.map((n) => [n.id, n]));

  const raw = await callStructured(ctx.call, { step: 'feedback.reduce', system: FEEDBACK_MERGE_SYSTEM, prompt: render(notes), schema: feedbackFromNotesSchema });
  const ev = (ids: string[]) => mergeEvidence(ids.map((id) => byId.get(id.trim())?.evidence ?? []), 2);
  return {
    strengths: raw.strengths.map((s) => ({ category: s.category, description: s.description, evidence: ev(s.sources) })),
    growthAreas: raw.growthAreas.map((g) => ({ category: g.category, description: g.description, suggestion: g.suggestion, evidence: ev(g.sources) })),
    topPriority: { focus: raw.topPriority.focus, reason: raw.topPriority.reason, alternative: raw.topPriority.alternative, evidence: ev(raw.topPriority.sources) },
    actionPlan: raw.actionPlan,
  };
}

export async function buildFeedback(ctx: LlmContext, c: EngineConversation, opts: { userSpeakerName?: string }): Promise<FeedbackResult> {
  if (c.segments.length < MIN_FEEDBACK_SEGMENTS) {
    throw new AppError('validation_error', 'Feedback needs at least 10 transcript segments', {
      details: { segments: `has ${c.segments.length}, needs at least ${MIN_FEEDBACK_SEGMENTS}` },
    });
  }
  const t: Transcript = prepareTranscript(c);
  const user = pickUser(t, opts.userSpeakerName);
  const measured = computeMetrics(t, user);
  const scores = categoryScores(measured, languageCounts(t, user), t.speakers.length);
  // The public metric fields for this kind of conversation, without the engine's working data.
  const metrics = feedbackMetricsSchema.parse(publicMetrics(measured));
  const summary = metricsText(user, metrics, scores, t.speakers.length);
  const userPositions = new Set(t.speakerOf.flatMap((sp, i) => (sp === user ? [i] : [])));

  const budget = budgetFor(ctx, FEEDBACK_SYSTEM, feedbackPrompt(c, user, summary, ''));
  const chunks = chunkTranscript(c.segments, budget);
  const coaching =
    chunks.length === 1
      ? await coachWhole(ctx, c, user, summary, chunks[0].text, scopeOf(c.segments, [...userPositions]))
      : await coachInParts(ctx, c, user, summary, userPositions);

  const byIndex = new Map(c.segments.map((s, i) => [s.index, i]));
  const when = (ev: Evidence[]) => (ev[0] ? segmentClock(t, byIndex.get(ev[0].segmentIndex) ?? 0) : '');
  const strengths: Strength[] = coaching.strengths
    .filter((s) => cleanText(s.description))
    .slice(0, 3)
    .map((s) => ({ category: s.category, description: cleanText(s.description), timestamp: when(s.evidence), quote: s.evidence[0]?.quote ?? '', evidence: s.evidence }));
  const growthAreas: GrowthArea[] = coaching.growthAreas
    .filter((g) => cleanText(g.description))
    .slice(0, 3)
    .map((g) => ({
      category: g.category,
      description: cleanText(g.description),
      suggestion: cleanText(g.suggestion),
      timestamp: when(g.evidence),
      ...(g.evidence[0] && { quote: g.evidence[0].quote }),
      evidence: g.evidence,
    }));
  const tp = coaching.topPriority;

  return finalize(feedbackResultSchema, {
    overallScore: overallScore(scores),
    topPriority: { focus: cleanText(tp.focus), quote: tp.evidence[0]?.quote ?? '', reason: cleanText(tp.reason), alternative: cleanText(tp.alternative) },
    strengths,
    growthAreas,
    categoryScores: scores,
    talkListenRatio: Math.round(metrics.talkTimeShare * 100) / 100,
    actionPlan: coaching.actionPlan.map(cleanText).filter(Boolean).slice(0, 5),
    metrics,
    formulaVersion: LLM_FORMULA_VERSION,
    userSpeakerName: user,
  });
}
