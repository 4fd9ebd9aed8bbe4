// What every analysis needs to make calls, and how much transcript fits into one of them.
import type { CallSettings } from './call.js';
import { estimateTokens } from './transcript.js';

export interface LlmContext {
  call: CallSettings;
  contextTokens: number;
  concurrency: number;
}

/** Room left for the reply; structured key points for a long meeting need a few thousand tokens. */
export function outputReserve(contextTokens: number): number {
  return Math.min(8192, Math.max(512, Math.round(contextTokens * 0.25)));
}

/** Smallest transcript slice worth a call; below it a model sees too little to say anything. */
export const MIN_TRANSCRIPT_BUDGET = 200;

/**
 * Tokens available for transcript lines (or merge input) in one call, given the fixed parts of
 * the prompt. A 5% margin absorbs the error of the 4-characters-per-token estimate.
 */
export function budgetFor(ctx: Pick<LlmContext, 'contextTokens'>, ...fixed: string[]): number {
  const overhead = fixed.reduce((a, t) => a + estimateTokens(t), 0) + outputReserve(ctx.contextTokens) + Math.round(ctx.contextTokens * 0.05);
  return Math.max(MIN_TRANSCRIPT_BUDGET, ctx.contextTokens - overhead);
}

/** Whether a whole prompt (system plus user text) fits the model's window with room to reply. */
export function fits(ctx: Pick<LlmContext, 'contextTokens'>, ...texts: string[]): boolean {
  return texts.reduce((a, t) => a + estimateTokens(t), 0) <= budgetFor(ctx);
}
