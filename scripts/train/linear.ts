// Fitting the small linear models of src/engines/local/linear-model.ts: softmax and one-vs-rest
// logistic regression with L2, full-batch Adam, a fixed number of epochs and no randomness, so the
// same data always gives the same model.
import type { Features } from '../../src/engines/local/chat-features.js';
import type { BinaryModel, RegressionModel } from '../../src/engines/local/linear-model.js';
import { seededRandom } from '../../src/engines/local/extraction/linear.js';

/** Multinomial logistic regression: how `fitBinary` fits a binary model before folding it into one weight per feature. */
interface SoftmaxModel {
  labels: string[];
  bias: number[];
  /** Feature → one weight per label. */
  weights: Record<string, number[]>;
  /** Dense features are standardised: (value − mean) / std. */
  norm: Record<string, [number, number]>;
}

export interface Example {
  features: Features;
  /** Class index (softmax) or 0/1 (binary). */
  y: number;
}

interface Encoded {
  idx: Int32Array;
  val: Float64Array;
}

export interface FitOptions {
  l2: number;
  epochs: number;
  learningRate: number;
  /** Features seen in fewer training examples are dropped. */
  minDf: number;
  /** After a first fit only the features with the largest weights are kept and the model refitted. */
  maxFeatures: number;
  /** Weight each class by inverse frequency, so minority classes are learned at all. */
  balanced: boolean;
}

const isDense = (name: string) => name.startsWith('#');

function vocabulary(data: Example[], minDf: number): string[] {
  const df = new Map<string, number>();
  for (const e of data) for (const k of e.features.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  return [...df.entries()].filter(([k, n]) => n >= minDf || isDense(k)).map(([k]) => k).sort();
}

function denseNorm(data: Example[], vocab: string[]): Record<string, [number, number]> {
  const norm: Record<string, [number, number]> = {};
  for (const name of vocab.filter(isDense)) {
    const xs = data.map((e) => e.features.get(name) ?? 0);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) || 1;
    norm[name] = [round(mean), round(sd)];
  }
  return norm;
}

function encode(data: Example[], vocab: string[], norm: Record<string, [number, number]>): Encoded[] {
  const pos = new Map(vocab.map((k, i) => [k, i]));
  return data.map((e) => {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [k, v] of e.features) {
      const i = pos.get(k);
      if (i === undefined) continue;
      idx.push(i);
      val.push(norm[k] ? (v - norm[k][0]) / norm[k][1] : v);
    }
    return { idx: Int32Array.from(idx), val: Float64Array.from(val) };
  });
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Adam over full-batch gradients of the (class-weighted) softmax loss with L2. */
function adamSoftmax(X: Encoded[], ys: number[], K: number, D: number, o: FitOptions): { W: Float64Array; b: Float64Array } {
  const W = new Float64Array(D * K);
  const b = new Float64Array(K);
  const mW = new Float64Array(D * K);
  const vW = new Float64Array(D * K);
  const mb = new Float64Array(K);
  const vb = new Float64Array(K);
  const counts = new Array(K).fill(0);
  ys.forEach((y) => counts[y]++);
  const cw = counts.map((c) => (o.balanced ? X.length / (K * Math.max(1, c)) : 1));
  const n = X.length;
  const b1 = 0.9;
  const b2 = 0.999;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const gW = new Float64Array(D * K);
    const gb = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      const x = X[i];
      const z = Array.from(b);
      for (let j = 0; j < x.idx.length; j++) for (let k = 0; k < K; k++) z[k] += W[x.idx[j] * K + k] * x.val[j];
      const max = Math.max(...z);
      const e = z.map((s) => Math.exp(s - max));
      const sum = e.reduce((a, c) => a + c, 0);
      for (let k = 0; k < K; k++) {
        const g = (cw[ys[i]] * (e[k] / sum - (ys[i] === k ? 1 : 0))) / n;
        gb[k] += g;
        for (let j = 0; j < x.idx.length; j++) gW[x.idx[j] * K + k] += g * x.val[j];
      }
    }
    const step = (o.learningRate * Math.sqrt(1 - b2 ** epoch)) / (1 - b1 ** epoch);
    for (let p = 0; p < W.length; p++) {
      const g = gW[p] + o.l2 * W[p];
      mW[p] = b1 * mW[p] + (1 - b1) * g;
      vW[p] = b2 * vW[p] + (1 - b2) * g * g;
      W[p] -= (step * mW[p]) / (Math.sqrt(vW[p]) + 1e-8);
    }
    for (let k = 0; k < K; k++) {
      mb[k] = b1 * mb[k] + (1 - b1) * gb[k];
      vb[k] = b2 * vb[k] + (1 - b2) * gb[k] * gb[k];
      b[k] -= (step * mb[k]) / (Math.sqrt(vb[k]) + 1e-8);
    }
  }
  return { W, b };
}

function fitOnce(data: Example[], labels: string[], vocab: string[], o: FitOptions): SoftmaxModel {
  const K = labels.length;
  const norm = denseNorm(data, vocab);
  const X = encode(data, vocab, norm);
  const { W, b } = adamSoftmax(X, data.map((e) => e.y), K, vocab.length, o);
  const weights: Record<string, number[]> = {};
  vocab.forEach((name, d) => {
    const w = Array.from(W.subarray(d * K, d * K + K), round);
    if (w.some((x) => x !== 0)) weights[name] = w;
  });
  return { labels, bias: Array.from(b, round), weights, norm };
}

/** Fit, keep the `maxFeatures` features with the largest weight spread, refit on those. */
function fitSoftmax(data: Example[], labels: string[], o: FitOptions): SoftmaxModel {
  const vocab = vocabulary(data, o.minDf);
  const first = fitOnce(data, labels, vocab, o);
  if (vocab.length <= o.maxFeatures) return first;
  const spread = (w: number[]) => Math.max(...w) - Math.min(...w);
  const kept = Object.entries(first.weights)
    .sort((a, b) => spread(b[1]) - spread(a[1]) || a[0].localeCompare(b[0]))
    .slice(0, o.maxFeatures)
    .map(([k]) => k)
    .sort();
  return fitOnce(data, labels, kept, o);
}

/** A binary model is a two-class softmax folded into one weight per feature. */
export function fitBinary(data: Example[], o: FitOptions): BinaryModel {
  const m = fitSoftmax(data, ['no', 'yes'], o);
  const weights: Record<string, number> = {};
  for (const [k, w] of Object.entries(m.weights)) {
    const n = m.norm[k];
    // Fold standardisation into the weight so the runtime needs no norm table for binary models.
    const x = round(n ? (w[1] - w[0]) / n[1] : w[1] - w[0]);
    if (x !== 0) weights[k] = x;
  }
  let bias = m.bias[1] - m.bias[0];
  for (const [k, n] of Object.entries(m.norm)) bias -= ((m.weights[k]?.[1] ?? 0) - (m.weights[k]?.[0] ?? 0)) * (n[0] / n[1]);
  return { bias: round(bias), weights, threshold: 0.5 };
}

export interface RidgeOptions {
  l2: number;
  epochs: number;
  learningRate: number;
  minDf: number;
}

/**
 * Ridge regression (squared loss, L2 on the weights) by full-batch Adam from zero, so the same data
 * always gives the same model. `ys` are real targets; the thresholds are left at ±Infinity for the
 * caller to tune.
 */
export function fitRidge(data: Array<{ features: Features; y: number }>, labels: [string, string, string], o: RidgeOptions): RegressionModel {
  const examples: Example[] = data.map((e) => ({ features: e.features, y: 0 }));
  const vocab = vocabulary(examples, o.minDf);
  const norm = denseNorm(examples, vocab);
  const X = encode(examples, vocab, norm);
  const n = X.length;
  const mean = data.reduce((a, e) => a + e.y, 0) / Math.max(1, n);
  const D = vocab.length;
  const W = new Float64Array(D);
  const m = new Float64Array(D + 1);
  const v = new Float64Array(D + 1);
  let b = 0;
  const b1 = 0.9;
  const b2 = 0.999;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const g = new Float64Array(D + 1);
    X.forEach((x, i) => {
      let z = b;
      for (let j = 0; j < x.idx.length; j++) z += W[x.idx[j]] * x.val[j];
      const r = (z - (data[i].y - mean)) / n;
      g[D] += r;
      for (let j = 0; j < x.idx.length; j++) g[x.idx[j]] += r * x.val[j];
    });
    const step = (o.learningRate * Math.sqrt(1 - b2 ** epoch)) / (1 - b1 ** epoch);
    for (let p = 0; p <= D; p++) {
      const grad = p < D ? g[p] + o.l2 * W[p] : g[p];
      m[p] = b1 * m[p] + (1 - b1) * grad;
      v[p] = b2 * v[p] + (1 - b2) * grad * grad;
      const delta = (step * m[p]) / (Math.sqrt(v[p]) + 1e-8);
      if (p < D) W[p] -= delta;
      else b -= delta;
    }
  }
  const weights: Record<string, number> = {};
  vocab.forEach((name, d) => {
    const w = round(W[d]);
    if (w !== 0) weights[name] = w;
  });
  return { labels, bias: round(b + mean), weights, norm, thresholds: [-Infinity, Infinity] };
}

export { seededRandom };

/** Stratified fold number for each example. */
export function folds(ys: number[], k: number, seed: number): number[] {
  const rnd = seededRandom(seed);
  const out = new Array(ys.length).fill(0);
  const byClass = new Map<number, number[]>();
  ys.forEach((y, i) => byClass.set(y, [...(byClass.get(y) ?? []), i]));
  for (const idx of byClass.values()) {
    const shuffled = idx.map((i) => [rnd(), i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
    shuffled.forEach((i, j) => (out[i] = j % k));
  }
  return out;
}
