// Scoring with the small linear models that scripts/train-chat.ts fits. Plain data in, numbers
// out: the models are JSON-like constants, so they load instantly and need no runtime library.
import type { Features } from './chat-features.js';

/**
 * Ridge regression of a rating, read as three labels: below `thresholds[0]` the low label, above
 * `thresholds[1]` the high one, else the middle (thresholds tuned for macro-F1).
 */
export interface RegressionModel {
  labels: [string, string, string];
  bias: number;
  weights: Record<string, number>;
  /** Dense features are standardised: (value − mean) / std. */
  norm: Record<string, [number, number]>;
  thresholds: [number, number];
}

/** One-vs-rest logistic regression for one label; `threshold` is tuned for F1. */
export interface BinaryModel {
  bias: number;
  weights: Record<string, number>;
  threshold: number;
}

function normalised(norm: Record<string, [number, number]>, name: string, v: number): number {
  const n = norm[name];
  return n ? (v - n[0]) / n[1] : v;
}

export function regressionScore(m: RegressionModel, f: Features): number {
  let z = m.bias;
  for (const [name, v] of f) {
    const w = m.weights[name];
    if (w) z += w * normalised(m.norm, name, v);
  }
  return z;
}

export function regressionLabel(m: RegressionModel, score: number): string {
  return score < m.thresholds[0] ? m.labels[0] : score > m.thresholds[1] ? m.labels[2] : m.labels[1];
}

export function binaryProbability(m: BinaryModel, f: Features): number {
  let z = m.bias;
  for (const [name, v] of f) z += (m.weights[name] ?? 0) * v;
  return 1 / (1 + Math.exp(-z));
}
