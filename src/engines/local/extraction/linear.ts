// A logistic regression over hashed binary features: trained by seeded SGD (so the same data and
// seed give the same weights, bit for bit), scored with a dot product, calibrated with Platt scaling.

export interface LinearModel {
  weights: Float32Array;
  /** Platt scaling of the raw score: confidence = sigmoid(a·z + b). */
  platt: [number, number];
  /** Calibrated probability from which a sentence becomes a candidate (chosen by cross-validation). */
  threshold: number;
}

export interface Example {
  x: number[];
  y: 0 | 1;
  /** Sample weight (borderline labels count less). */
  w: number;
}

export interface TrainSettings {
  epochs: number;
  learningRate: number;
  l2: number;
  /** Weight of a positive example relative to a negative one (positives are rare). */
  positiveWeight: number;
  seed: number;
}

export const DEFAULT_SETTINGS: TrainSettings = { epochs: 6, learningRate: 0.05, l2: 1e-4, positiveWeight: 4, seed: 7 };

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));

/** mulberry32: a tiny seeded generator, enough for shuffling (deterministic pseudo-random numbers). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rawScore(weights: Float32Array, x: number[]): number {
  let z = 0;
  for (const i of x) z += weights[i];
  return z;
}

export function probability(m: LinearModel, x: number[]): number {
  return sigmoid(m.platt[0] * rawScore(m.weights, x) + m.platt[1]);
}

/** AdaGrad SGD on the weighted log loss with L2 applied to the features an example touches. */
export function trainLogistic(examples: Example[], dims: number, s: TrainSettings = DEFAULT_SETTINGS): Float32Array {
  const w = new Float64Array(dims);
  const g2 = new Float64Array(dims).fill(1e-8);
  const order = examples.map((_, i) => i);
  const rand = seededRandom(s.seed);
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const k of order) {
      const e = examples[k];
      let z = 0;
      for (const i of e.x) z += w[i];
      const weight = e.w * (e.y ? s.positiveWeight : 1);
      const grad = (sigmoid(z) - e.y) * weight;
      for (const i of e.x) {
        const g = grad + s.l2 * w[i];
        g2[i] += g * g;
        w[i] -= (s.learningRate * g) / Math.sqrt(g2[i]);
      }
    }
  }
  return Float32Array.from(w);
}

/** Platt scaling fitted by gradient descent on (raw score, label) pairs, e.g. out-of-fold scores. */
export function fitPlatt(pairs: Array<[number, 0 | 1]>, iterations = 300): [number, number] {
  let a = 1;
  let b = 0;
  if (!pairs.length) return [a, b];
  for (let it = 0; it < iterations; it++) {
    let ga = 0;
    let gb = 0;
    for (const [z, y] of pairs) {
      const d = sigmoid(a * z + b) - y;
      ga += d * z;
      gb += d;
    }
    a -= (0.5 * ga) / pairs.length;
    b -= (0.5 * gb) / pairs.length;
  }
  return [a, b];
}

export function encodeWeights(w: Float32Array): string {
  return Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('base64');
}

export function decodeWeights(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  // Copied into a fresh, aligned buffer: Buffer pool slices may start at any byte.
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
