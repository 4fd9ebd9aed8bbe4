// Answers a question. A transcript that fits one call is given whole. A longer one is searched
// with BM25 and the best-matching excerpts are answered from; a question about the whole
// conversation ("summarise", "all the action items"), or one no excerpt matches, is answered
// map-reduce: notes from every part, then one answer from the notes. `metadata` says which.
import { queryResultSchema, type Evidence, type QueryIntent, type QueryResult } from '../schemas.js';
import type { EngineConversation } from '../types.js';
import { callStructured } from './call.js';
import { budgetFor, MIN_TRANSCRIPT_BUDGET, type LlmContext } from './context.js';
import { mergeEvidence, scopeOf, verifyEvidence } from './evidence.js';
import { finalize } from './finalize.js';
import {
  FINDINGS_SYSTEM, QUERY_MERGE_SYSTEM, QUERY_SYSTEM, answerFromNotesSchema, answerModelSchema, findingsModelSchema, findingsPrompt, queryMergePrompt, queryPrompt,
} from './prompts/query.js';
import { reduceTree } from './reduce.js';
import { bm25, terms } from './retrieval.js';
import { mapLimit } from './run.js';
import { cleanText } from './similarity.js';
import { chunkTranscript, durationMinutes, type Chunk } from './transcript.js';

/** Questions whose answer is spread over the whole conversation; excerpts would miss most of it. */
const GLOBAL = /\b(?:summar(?:y|ise|ize)|overview|recap|tl;?dr|gist|main (?:points|topics|takeaways)|key (?:points|takeaways)|(?:all|every|list)(?: of)?(?: the)? (?:action items|tasks|decisions|dates|deadlines|participants|people|topics|issues)|what (?:was|were) (?:discussed|covered|decided))\b/i;

/** Retrieval grain: small enough that several excerpts fit in one call. */
const RETRIEVAL_SPLIT = 4;
const MAX_EXCERPTS = 8;

interface UsedChunk {
  chunk: number;
  firstSegment: number;
  lastSegment: number;
  score?: number;
}

const used = (ch: Chunk, score?: number): UsedChunk => ({ chunk: ch.id, firstSegment: ch.firstIndex, lastSegment: ch.lastIndex, ...(score !== undefined && { score: Math.round(score * 1000) / 1000 }) });

/** Selected chunks as one excerpt text in transcript order, overlaps removed and gaps marked. */
function excerptText(chunks: Chunk[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  let lastPos = -1;
  for (const ch of [...chunks].sort((a, b) => a.id - b.id)) {
    for (const line of ch.lines) {
      const key = `${line.pos}|${line.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (lastPos >= 0 && line.pos > lastPos + 1) out.push('…');
      out.push(line.text);
      lastPos = line.pos;
    }
  }
  return out.join('\n');
}

function result(c: EngineConversation, answer: { response: string; intent: QueryIntent | null; suggestedQueries: string[] }, evidence: Evidence[], meta: Record<string, unknown>): QueryResult {
  return finalize(queryResultSchema, {
    response: cleanText(answer.response) || 'The conversation does not answer this question.',
    metadata: {
      segmentsAnalyzed: c.segments.length,
      conversationDuration: durationMinutes(c.segments),
      ...(answer.intent && { intent: answer.intent }),
      ...meta,
    },
    suggestedQueries: answer.suggestedQueries.map(cleanText).filter(Boolean).slice(0, 5),
    evidence,
  });
}

export async function answerQuery(ctx: LlmContext, c: EngineConversation, question: string): Promise<QueryResult> {
  const q = cleanText(question);
  if (!c.segments.length) {
    return result(c, { response: 'The conversation has no transcript to search.', intent: null, suggestedQueries: [] }, [], { strategy: 'none', chunkCount: 0, chunksUsed: [] });
  }
  const budget = budgetFor(ctx, QUERY_SYSTEM, queryPrompt(c, q, true, ''));
  const whole = chunkTranscript(c.segments, budget);

  if (whole.length === 1) {
    const raw = await callStructured(ctx.call, { step: 'query', system: QUERY_SYSTEM, prompt: queryPrompt(c, q, false, whole[0].text), schema: answerModelSchema });
    return result(c, raw, verifyEvidence(scopeOf(c.segments), raw.evidence, 4), { strategy: 'full', chunkCount: 1, chunksUsed: [used(whole[0])] });
  }

  if (!GLOBAL.test(q)) {
    const small = chunkTranscript(c.segments, Math.max(MIN_TRANSCRIPT_BUDGET, Math.floor(budget / RETRIEVAL_SPLIT)));
    const scores = bm25(small.map((ch) => terms(ch.text)), terms(q));
    const ranked = small.map((ch, i) => ({ ch, score: scores[i] })).filter((r) => r.score > 0).sort((a, b) => b.score - a.score || a.ch.id - b.ch.id);
    const picked: typeof ranked = [];
    let tokens = 0;
    for (const r of ranked) {
      if (picked.length >= MAX_EXCERPTS || (picked.length && tokens + r.ch.tokens > budget)) break;
      picked.push(r);
      tokens += r.ch.tokens;
    }
    if (picked.length) {
      const chunks = picked.map((p) => p.ch);
      const raw = await callStructured(ctx.call, { step: 'query', system: QUERY_SYSTEM, prompt: queryPrompt(c, q, true, excerptText(chunks)), schema: answerModelSchema });
      const positions = [...new Set(chunks.flatMap((ch) => ch.positions))].sort((a, b) => a - b);
      return result(c, raw, verifyEvidence(scopeOf(c.segments, positions), raw.evidence, 4), {
        strategy: 'retrieval',
        chunkCount: small.length,
        chunksUsed: picked.sort((a, b) => a.ch.id - b.ch.id).map((p) => used(p.ch, p.score)),
        segmentsShown: positions.length,
      });
    }
  }

  // Every part is read; only the parts that bear on the question feed the answer.
  const notesBudget = budgetFor(ctx, FINDINGS_SYSTEM, findingsPrompt(c, q, { ...whole[0], text: '' }, whole.length));
  const parts = chunkTranscript(c.segments, notesBudget);
  const found = await mapLimit(parts, ctx.concurrency, async (chunk, signal) => {
    const raw = await callStructured(ctx.call, { step: 'query.map', system: FINDINGS_SYSTEM, prompt: findingsPrompt(c, q, chunk, parts.length), schema: findingsModelSchema, signal });
    const findings = cleanText(raw.findings);
    return { chunk, relevant: raw.relevant && !!findings, findings, evidence: verifyEvidence(scopeOf(c.segments, chunk.positions), raw.evidence, 4) };
  });
  const relevant = found.filter((f) => f.relevant);
  type Answer = { response: string; intent: QueryIntent | null; suggestedQueries: string[] };
  const merge = async (notes: Answer[], signal?: AbortSignal): Promise<Answer> => {
    const raw = await callStructured(ctx.call, {
      step: 'query.reduce',
      system: QUERY_MERGE_SYSTEM,
      prompt: queryMergePrompt(c, q, notes.map((n) => n.response)),
      schema: answerFromNotesSchema,
      signal,
    });
    return raw;
  };
  const notes: Answer[] = relevant.length
    ? relevant.map((f) => ({ response: f.findings, intent: null, suggestedQueries: [] }))
    : [{ response: '(No part of the conversation addresses the question.)', intent: null, suggestedQueries: [] }];
  const answer =
    notes.length === 1
      ? await merge(notes)
      : await reduceTree(ctx, notes, {
          system: QUERY_MERGE_SYSTEM,
          render: (group) => queryMergePrompt(c, q, group.map((n) => n.response)),
          merge,
          concat: (group) => ({ response: group.map((n) => n.response).join(' '), intent: null, suggestedQueries: [] }),
        });
  return result(c, answer, mergeEvidence(relevant.map((f) => f.evidence), 6), {
    strategy: 'map-reduce',
    chunkCount: parts.length,
    chunksUsed: relevant.map((f) => used(f.chunk)),
  });
}
