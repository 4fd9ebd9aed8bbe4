// The AnalysisEngine backed by a language model through the AI SDK. Which model (OpenAI,
// Anthropic, a local OpenAI-compatible server) is decided by the caller; this file only knows the
// AI SDK's model interface, so tests can hand it any model.
import type { LanguageModel } from 'ai';
import type { AnalysisEngine } from '../types.js';
import type { CallEvent } from './call.js';
import type { LlmContext } from './context.js';
import { buildEmail } from './email.js';
import { buildFeedback } from './feedback.js';
import { buildInsights } from './insights.js';
import { buildKeypoints } from './keypoints.js';
import { answerQuery } from './query.js';

export interface LlmEngineOptions {
  model: LanguageModel;
  /** Reported as `AnalysisEngine.name`, e.g. "openai:gpt-4o-mini". */
  name: string;
  /** The model's context window; long transcripts are split to fit it. */
  contextTokens: number;
  /** Deadline for each model call. */
  timeoutMs: number;
  /** The SDK's retries for failed requests (rate limits, 5xx, network). */
  maxRetries: number;
  /** Milliseconds; only used to time calls for `onCall`. */
  clock?: () => number;
  /** Parallel calls while reading the parts of a long transcript. */
  concurrency?: number;
  /** Observability hook (timings, failures); it never receives transcript text. */
  onCall?: (e: CallEvent) => void;
}

export function createLlmEngine(opts: LlmEngineOptions): AnalysisEngine {
  const ctx: LlmContext = {
    call: { model: opts.model, timeoutMs: opts.timeoutMs, maxRetries: opts.maxRetries, clock: opts.clock ?? Date.now, onCall: opts.onCall },
    contextTokens: opts.contextTokens,
    concurrency: Math.max(1, opts.concurrency ?? 3),
  };
  return {
    name: opts.name,
    keypoints: (c) => buildKeypoints(ctx, c),
    feedback: (c, o) => buildFeedback(ctx, c, o),
    query: (c, q) => answerQuery(ctx, c, q),
    email: (c, o) => buildEmail(ctx, c, o),
    insights: (c) => buildInsights(ctx, c),
  };
}
