// Insights by map-reduce. The prose (summary, topics) is merged by a model call; the judgements
// are merged deterministically: sentiment as a length-weighted mean, the task outcome from the
// latest part that has one (a conversation's outcome is decided at its end).
import { insightsSchema, type Insights, type Issue, type Sentiment } from '../schemas.js';
import type { EngineConversation } from '../types.js';
import { callStructured } from './call.js';
import { budgetFor, type LlmContext } from './context.js';
import { mergeEvidence, scopeOf, verifyEvidence } from './evidence.js';
import { finalize } from './finalize.js';
import { INSIGHTS_MERGE_SYSTEM, INSIGHTS_SYSTEM, insightsMergePrompt, insightsMergeSchema, insightsModelSchema } from './prompts/insights.js';
import { reduceTree } from './reduce.js';
import { mapLimit } from './run.js';
import { clamp, cleanText, dedupe, jaccard, keyWords } from './similarity.js';
import { chunkTranscript } from './transcript.js';
import { measuresFor } from '../local/measures.js';
import { prepareTranscript } from '../local/transcript.js';
import { hasTaskOutcome, noTaskOutcome } from '../local/task-status.js';
import { chunkPrompt } from './prompts/common.js';

interface PartialInsights extends Insights {
  weight: number;
}

export function labelFor(score: number): Sentiment {
  return score > 0.2 ? 'positive' : score < -0.2 ? 'negative' : 'neutral';
}

function uniqueStrings(list: string[], max: number): string[] {
  return dedupe(list.map(cleanText).filter(Boolean), (a, b) => jaccard(keyWords(a), keyWords(b)) >= 0.7, (a) => a).slice(0, max);
}

export function mergeIssues(list: Issue[]): Issue[] {
  return dedupe(
    list,
    (a, b) => a.type === b.type && jaccard(keyWords(a.description), keyWords(b.description)) >= 0.5,
    (a, b) => ({ ...a, evidence: mergeEvidence([a.evidence, b.evidence]) }),
  ).slice(0, 10);
}

/** The local engine's rule: a meeting gets no task outcome, signals or chat issues, whatever the model said. */
export async function buildInsights(ctx: LlmContext, c: EngineConversation): Promise<Insights> {
  const ins = await insightsOf(ctx, c);
  return hasTaskOutcome(c.kind) ? ins : { ...ins, ...noTaskOutcome() };
}

async function insightsOf(ctx: LlmContext, c: EngineConversation): Promise<Insights> {
  if (!c.segments.length) {
    return finalize(insightsSchema, { sentiment: 'neutral', sentimentScore: 0, taskCompleted: null, taskSignals: [], topics: [], summary: '', issues: [] });
  }
  const budget = budgetFor(ctx, INSIGHTS_SYSTEM, chunkPrompt(c, null, 2, ''));
  const chunks = chunkTranscript(c.segments, budget);
  const parts = await mapLimit(chunks, ctx.concurrency, async (chunk, signal): Promise<PartialInsights> => {
    const raw = await callStructured(ctx.call, {
      step: 'insights.map',
      system: INSIGHTS_SYSTEM,
      prompt: chunkPrompt(c, chunk, chunks.length, chunk.text),
      schema: insightsModelSchema,
      signal,
    });
    const scope = scopeOf(c.segments, chunk.positions);
    return {
      sentiment: raw.sentiment,
      sentimentScore: Math.round(clamp(raw.sentimentScore, -1, 1) * 100) / 100,
      taskCompleted: raw.taskCompleted,
      taskSignals: uniqueStrings(raw.taskSignals, 5),
      topics: uniqueStrings(raw.topics, 6),
      summary: cleanText(raw.summary),
      issues: raw.issues.map((i) => ({ type: i.type, description: cleanText(i.description), evidence: verifyEvidence(scope, i.evidence) })).filter((i) => i.description),
      weight: chunk.tokens,
    };
  });
  if (parts.length === 1) {
    const { weight: _w, ...only } = parts[0];
    return finalize(insightsSchema, { ...only, measures: measuresFor(prepareTranscript(c), only.taskCompleted) });
  }

  const total = parts.reduce((a, p) => a + p.weight, 0) || 1;
  const score = Math.round((parts.reduce((a, p) => a + p.sentimentScore * p.weight, 0) / total) * 100) / 100;
  const prose = await reduceTree(ctx, parts.map((p) => ({ summary: p.summary, topics: p.topics })), {
    system: INSIGHTS_MERGE_SYSTEM,
    render: (group) => insightsMergePrompt(c, group),
    concat: (group) => ({ summary: group.map((g) => g.summary).join(' '), topics: uniqueStrings(group.flatMap((g) => g.topics), 6) }),
    merge: async (group, signal) => {
      const out = await callStructured(ctx.call, { step: 'insights.reduce', system: INSIGHTS_MERGE_SYSTEM, prompt: insightsMergePrompt(c, group), schema: insightsMergeSchema, signal });
      return { summary: cleanText(out.summary), topics: uniqueStrings(out.topics, 6) };
    },
  });
  const outcome = [...parts].reverse().find((p) => p.taskCompleted !== null);
  return finalize(insightsSchema, {
    sentiment: labelFor(score),
    sentimentScore: score,
    taskCompleted: outcome?.taskCompleted ?? null,
    taskSignals: uniqueStrings(outcome ? [...outcome.taskSignals, ...parts.flatMap((p) => p.taskSignals)] : parts.flatMap((p) => p.taskSignals), 5),
    topics: prose.topics,
    summary: prose.summary,
    issues: mergeIssues(parts.flatMap((p) => p.issues)),
    // Counted, not generated: the same measures as the local engine's.
    measures: measuresFor(prepareTranscript(c), outcome?.taskCompleted ?? null),
  });
}
