// The learned extraction models at run time: decoded once per process or worker thread from the
// generated file, then used to score every sentence of a transcript.
import type { ActionItem, PointDetail } from '../../schemas.js';
import type { Transcript } from '../transcript.js';
import { buildDecisions } from './decisions.js';
import { conversationContext, decisionFeatures, sentenceFeatures } from './features.js';
import { buildActionItems, type Scored } from './items.js';
import { decodeWeights, rawScore, sigmoid, type LinearModel } from './linear.js';
import { MODEL } from './model.generated.js';
import type { Names } from './owner.js';

export interface ExtractionModels {
  action: LinearModel;
  decision: LinearModel;
  /** Owner candidate weights (absent in a model file trained before the owner model). */
  owner?: Float32Array;
}

export interface StoredModel {
  weights: string;
  platt: [number, number];
  threshold: number;
}

let loaded: ExtractionModels | null = null;

export function decodeModel(m: StoredModel): LinearModel {
  return { weights: decodeWeights(m.weights), platt: m.platt, threshold: m.threshold };
}

export function extractionModels(): ExtractionModels {
  const stored = MODEL as unknown as { action: StoredModel; decision: StoredModel; owner?: { weights: string } };
  loaded ??= { action: decodeModel(stored.action), decision: decodeModel(stored.decision), owner: stored.owner ? decodeWeights(stored.owner.weights) : undefined };
  return loaded;
}

/** Raw scores of every sentence for both models (features are computed once). */
export function scoreTranscript(t: Transcript, models: ExtractionModels): { action: number[]; decision: number[] } {
  const ctx = conversationContext(t);
  const action: number[] = [];
  const decision: number[] = [];
  for (const s of t.sentences) {
    const x = sentenceFeatures(ctx, s);
    action.push(rawScore(models.action.weights, x));
    decision.push(rawScore(models.decision.weights, decisionFeatures(ctx, s, x)));
  }
  return { action, decision };
}

/** Candidates with their uncalibrated probability; confidence is calibrated afterwards. */
export function scored(t: Transcript, raw: number[]): Scored[] {
  return t.sentences.map((s, i) => ({ s, p: sigmoid(raw[i]) }));
}

export function calibrate(m: LinearModel, p: number): number {
  const z = Math.log(Math.max(1e-9, p) / Math.max(1e-9, 1 - p));
  return sigmoid(m.platt[0] * z + m.platt[1]);
}

export function extractLearned(t: Transcript, names: Names, models: ExtractionModels = extractionModels()): { actionItems: ActionItem[]; decisions: PointDetail[] } {
  const raw = scoreTranscript(t, models);
  const actionItems = buildActionItems(t, scored(t, raw.action), models.action.threshold, names, 20, models.owner).map((a) => ({
    ...a,
    confidence: Math.round(calibrate(models.action, a.confidence) * 100) / 100,
  }));
  const decisions = buildDecisions(t, scored(t, raw.decision), models.decision.threshold);
  return { actionItems, decisions };
}
