// Scores used while training and by scripts/eval.ts.

export function f1(tp: number, fp: number, fn: number): number {
  return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
}

/** Macro-F1 over the labels that occur in the references or the predictions. */
export function macroF1(pairs: Array<[string, string]>): number {
  const labels = [...new Set(pairs.flat())];
  const per = labels.map((l) => {
    let tp = 0, fp = 0, fn = 0;
    for (const [gold, pred] of pairs) {
      if (pred === l && gold === l) tp++;
      else if (pred === l) fp++;
      else if (gold === l) fn++;
    }
    return f1(tp, fp, fn);
  });
  return per.length ? per.reduce((a, b) => a + b, 0) / per.length : 0;
}

/** Negative called positive or the reverse. */
export function crossErrors(pairs: Array<[string, string]>): number {
  return pairs.filter(([g, p]) => (g === 'negative' && p === 'positive') || (g === 'positive' && p === 'negative')).length;
}

export function microF1(pairs: Array<[string[], string[]]>): number {
  let tp = 0, fp = 0, fn = 0;
  for (const [gold, pred] of pairs) {
    for (const p of pred) gold.includes(p) ? tp++ : fp++;
    for (const g of gold) if (!pred.includes(g)) fn++;
  }
  return f1(tp, fp, fn);
}

/** Mean macro-F1 over random subsets of `sampleSize` pairs. */
export function sampledMacroF1(pairs: Array<[string, string]>, rnd: () => number, sampleSize = 30, samples = 300): number {
  let sum = 0;
  for (let s = 0; s < samples; s++) sum += macroF1(Array.from({ length: sampleSize }, () => pairs[Math.floor(rnd() * pairs.length)]));
  return sum / samples;
}

/** "label F1 (gold→predicted count)" for each label, for the training log. */
export function perClass(pairs: Array<[string, string]>): string {
  return [...new Set(pairs.map(([g]) => g))].sort().map((l) => {
    const tp = pairs.filter(([g, p]) => g === l && p === l).length;
    const fp = pairs.filter(([g, p]) => g !== l && p === l).length;
    const fn = pairs.filter(([g, p]) => g === l && p !== l).length;
    return `${l} ${(f1(tp, fp, fn) * 100).toFixed(0)} (${tp + fn}→${tp + fp})`;
  }).join(', ');
}

/**
 * The two thresholds on a predicted rating (below the first: `labels[0]`, above the second:
 * `labels[2]`), searched over quantiles of the out-of-fold scores, with the best mean macro-F1 over
 * random sets of `sampleSize`: conversations are judged a few dozen at a time, and in so small a set
 * a rare label predicted but absent costs a third of the score, so rare labels must be called with
 * high precision. At most `maxCross` of the polar dialogues may get the opposite polarity.
 */
export function tuneThresholds(scores: number[], gold: string[], labels: [string, string, string], maxCross: number, rnd: () => number, sampleSize = 30, samples = 300): [number, number] {
  const sorted = [...scores].sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))];
  const polar = gold.filter((g) => g !== labels[1]).length;
  const subsets = Array.from({ length: samples }, () => Array.from({ length: sampleSize }, () => Math.floor(rnd() * scores.length)));
  let best = { f: -1, t: [quantile(0), quantile(1)] as [number, number] };
  // Low labels are rare (a few percent) and high ones common (~15 %): finer steps at the low end.
  for (let i = 0; i <= 60; i++) {
    for (let j = 0; j <= 60; j++) {
      const t: [number, number] = [quantile(i * 0.001), quantile(1 - j * 0.005)];
      if (t[0] >= t[1]) continue;
      const pairs = scores.map((x, k) => [gold[k], x < t[0] ? labels[0] : x > t[1] ? labels[2] : labels[1]] as [string, string]);
      if (crossErrors(pairs) > maxCross * polar) continue;
      const f = subsets.reduce((acc, idx) => acc + macroF1(idx.map((k) => pairs[k])), 0) / samples;
      if (f > best.f + 1e-9) best = { f, t };
    }
  }
  return [Math.round(best.t[0] * 1e4) / 1e4, Math.round(best.t[1] * 1e4) / 1e4];
}
