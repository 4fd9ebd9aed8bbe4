// Key points by map-reduce: each part of the transcript is read by one call; topics and
// decisions are merged by a further call that cites which partial points it combines (so the
// verified evidence carries over), while action items, people and dates merge deterministically.
import { keypointsSchema, type ActionItem, type ImportantDate, type Keypoints, type PointDetail, type Priority } from '../schemas.js';
import type { EngineConversation } from '../types.js';
import { callStructured } from './call.js';
import { budgetFor, type LlmContext } from './context.js';
import { mergeEvidence, scopeOf, verifyEvidence, type EvidenceScope } from './evidence.js';
import { finalize } from './finalize.js';
import {
  KEYPOINTS_MERGE_SYSTEM, KEYPOINTS_SYSTEM, keypointsMergePrompt, keypointsMergeSchema, keypointsModelSchema, type KeypointsModel,
} from './prompts/keypoints.js';
import { reduceTree } from './reduce.js';
import { mapLimit } from './run.js';
import { clamp, cleanText, dedupe, isoDateOrNull, jaccard, keyWords } from './similarity.js';
import { chunkTranscript } from './transcript.js';
import { chunkPrompt } from './prompts/common.js';

export interface Outline {
  title: string;
  sections: Array<{ heading: string; points: PointDetail[] }>;
  decisions: PointDetail[];
}

export interface PartialKeypoints extends Outline {
  actionItems: ActionItem[];
  participants: string[];
  importantDates: ImportantDate[];
}

function points(scope: EvidenceScope, list: Array<{ text: string; evidence: Array<{ segmentIndex: number; quote: string }> }>): PointDetail[] {
  return list.map((p) => ({ text: cleanText(p.text), evidence: verifyEvidence(scope, p.evidence) })).filter((p) => p.text);
}

export function normaliseKeypoints(raw: KeypointsModel, scope: EvidenceScope): PartialKeypoints {
  return {
    title: cleanText(raw.title),
    sections: raw.sections.map((s) => ({ heading: cleanText(s.heading), points: points(scope, s.points) })).filter((s) => s.points.length),
    decisions: points(scope, raw.decisions),
    actionItems: raw.actionItems
      .map((a) => ({
        item: cleanText(a.item),
        owner: cleanText(a.owner) || null,
        confidence: Math.round(clamp(a.confidence, 0, 1) * 100) / 100,
        priority: a.priority,
        dueDate: isoDateOrNull(a.dueDate),
        evidence: verifyEvidence(scope, a.evidence),
      }))
      .filter((a) => a.item),
    participants: raw.participants.map(cleanText).filter(Boolean),
    importantDates: raw.importantDates.flatMap((d) => {
      const date = isoDateOrNull(d.date);
      const context = cleanText(d.context);
      return date && context ? [{ date, context, evidence: verifyEvidence(scope, d.evidence) }] : [];
    }),
  };
}

const RANK: Record<Priority, number> = { high: 3, medium: 2, low: 1 };

export function mergeActionItems(items: ActionItem[]): ActionItem[] {
  return dedupe(
    items,
    (a, b) => (!a.owner || !b.owner || a.owner.toLowerCase() === b.owner.toLowerCase()) && jaccard(keyWords(a.item), keyWords(b.item)) >= 0.6,
    (a, b) => ({
      item: a.item.length >= b.item.length ? a.item : b.item,
      owner: a.owner ?? b.owner,
      confidence: Math.max(a.confidence, b.confidence),
      priority: RANK[b.priority] > RANK[a.priority] ? b.priority : a.priority,
      dueDate: a.dueDate ?? b.dueDate ?? null,
      evidence: mergeEvidence([a.evidence, b.evidence]),
    }),
  );
}

/** One entry per person: case differences fold, and "Ann" folds into "Ann Lee". */
export function mergeParticipants(names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const words = keyWords(name);
    const k = out.findIndex((o) => {
      const ow = keyWords(o);
      return [...words].every((w) => ow.has(w)) || [...ow].every((w) => words.has(w));
    });
    if (k < 0) out.push(name);
    else if (name.length > out[k].length) out[k] = name;
  }
  return out;
}

export function mergeDates(dates: ImportantDate[]): ImportantDate[] {
  return dedupe(
    dates,
    (a, b) => a.date === b.date && jaccard(keyWords(a.context), keyWords(b.context)) >= 0.3,
    (a, b) => ({ date: a.date, context: a.context.length >= b.context.length ? a.context : b.context, evidence: mergeEvidence([a.evidence, b.evidence]) }),
  ).sort((a, b) => a.date.localeCompare(b.date));
}

function mergeDecisions(list: PointDetail[]): PointDetail[] {
  return dedupe(list, (a, b) => jaccard(keyWords(a.text), keyWords(b.text)) >= 0.6, (a, b) => ({ text: a.text, evidence: mergeEvidence([a.evidence, b.evidence]) }));
}

/** Gives every partial point an id so the merge call can say which ones it combined. */
function indexOutlines(group: Outline[]) {
  const byId = new Map<string, PointDetail>();
  let p = 0;
  let d = 0;
  const parts = group.map((o) => ({
    title: o.title,
    sections: o.sections.map((s) => ({
      heading: s.heading,
      points: s.points.map((pt) => {
        const id = `p${++p}`;
        byId.set(id, pt);
        return { id, text: pt.text };
      }),
    })),
    decisions: o.decisions.map((dd) => {
      const id = `d${++d}`;
      byId.set(id, dd);
      return { id, text: dd.text };
    }),
  }));
  return { parts, byId };
}

export function concatOutlines(group: Outline[]): Outline {
  return {
    title: group.find((g) => g.title)?.title ?? '',
    sections: group.flatMap((g) => g.sections),
    decisions: mergeDecisions(group.flatMap((g) => g.decisions)),
  };
}

export async function mergeOutlines(ctx: LlmContext, c: EngineConversation, outlines: Outline[]): Promise<Outline> {
  return reduceTree<Outline>(ctx, outlines, {
    system: KEYPOINTS_MERGE_SYSTEM,
    render: (group) => keypointsMergePrompt(c, indexOutlines(group).parts),
    concat: concatOutlines,
    merge: async (group, signal) => {
      const { parts, byId } = indexOutlines(group);
      const out = await callStructured(ctx.call, {
        step: 'keypoints.reduce',
        system: KEYPOINTS_MERGE_SYSTEM,
        prompt: keypointsMergePrompt(c, parts),
        schema: keypointsMergeSchema,
        signal,
      });
      const detail = (item: { text: string; sources: string[] }): PointDetail => ({
        text: cleanText(item.text),
        evidence: mergeEvidence(item.sources.map((id) => byId.get(id.trim())?.evidence ?? [])),
      });
      return {
        title: cleanText(out.title) || concatOutlines(group).title,
        sections: out.sections
          .map((s) => ({ heading: cleanText(s.heading), points: s.points.map(detail).filter((p) => p.text) }))
          .filter((s) => s.heading && s.points.length),
        decisions: out.decisions.map(detail).filter((d) => d.text),
      };
    },
  });
}

/** Reads every part of the transcript once; shared by key points and the e-mail draft. */
export async function mapKeypoints(ctx: LlmContext, c: EngineConversation): Promise<PartialKeypoints[]> {
  const budget = budgetFor(ctx, KEYPOINTS_SYSTEM, chunkPrompt(c, null, 2, ''));
  const chunks = chunkTranscript(c.segments, budget);
  return mapLimit(chunks, ctx.concurrency, async (chunk, signal) => {
    const raw = await callStructured(ctx.call, {
      step: 'keypoints.map',
      system: KEYPOINTS_SYSTEM,
      prompt: chunkPrompt(c, chunk, chunks.length, chunk.text),
      schema: keypointsModelSchema,
      signal,
    });
    return normaliseKeypoints(raw, scopeOf(c.segments, chunk.positions));
  });
}

export async function buildKeypoints(ctx: LlmContext, c: EngineConversation): Promise<Keypoints> {
  const partials = c.segments.length ? await mapKeypoints(ctx, c) : [];
  const outline = partials.length > 1 ? await mergeOutlines(ctx, c, partials) : (partials[0] ?? { title: '', sections: [], decisions: [] });
  const decisions = mergeDecisions(outline.decisions);
  return finalize(keypointsSchema, {
    title: outline.title || c.title || 'Conversation',
    sections: outline.sections.map((s) => ({ heading: s.heading, points: s.points.map((p) => p.text), pointDetails: s.points })),
    decisions: decisions.map((d) => d.text),
    decisionDetails: decisions,
    actionItems: mergeActionItems(partials.flatMap((p) => p.actionItems)),
    participants: mergeParticipants(partials.flatMap((p) => p.participants)),
    importantDates: mergeDates(partials.flatMap((p) => p.importantDates)),
  });
}
