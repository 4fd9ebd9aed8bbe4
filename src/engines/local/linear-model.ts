// Scoring with the small linear models that scripts/train-chat.ts fits. Plain data in, numbers
// out: the models are JSON-like constants, so they load instantly and need no runtime library.
import type { Features } from './chat-features.js';

/** Multinomial logistic regression; `offsets` are per-class decision offsets tuned for macro-F1. */
export interface SoftmaxModel {
  labels: string[];
  bias: number[];
  /** Feature → one weight per label. */
  weights: Record<string, number[]>;
  /** Dense features are standardised: (value − mean) / std. */
  norm: Record<string, [number, number]>;
  offsets: number[];
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

/** Class probabilities (softmax of the raw scores, offsets not applied). */
export function softmaxProbabilities(m: SoftmaxModel, f: Features): number[] {
  const z = [...m.bias];
  for (const [name, v] of f) {
    const w = m.weights[name];
    if (!w) continue;
    const x = normalised(m.norm, name, v);
    for (let k = 0; k < z.length; k++) z[k] += w[k] * x;
  }
  const max = Math.max(...z);
  const e = z.map((s) => Math.exp(s - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** The label whose log-probability plus offset is highest. */
export function softmaxDecide(m: SoftmaxModel, p: number[]): number {
  let best = 0;
  let bestScore = -Infinity;
  p.forEach((x, k) => {
    const s = Math.log(Math.max(x, 1e-12)) + m.offsets[k];
    if (s > bestScore) {
      bestScore = s;
      best = k;
    }
  });
  return best;
}

export function binaryProbability(m: BinaryModel, f: Features): number {
  let z = m.bias;
  for (const [name, v] of f) z += (m.weights[name] ?? 0) * v;
  return 1 / (1 + Math.exp(-z));
}
