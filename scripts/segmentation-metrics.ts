// Topic-segmentation error measures (lower is better, 0 = perfect), on segmentations given as one
// topic label per transcript unit (a change of label is a boundary).
//   Pk (Beeferman et al. 1999): how often a window of k units disagrees with the reference about
//   whether its two ends lie in the same topic.
//   WindowDiff (Pevzner & Hearst 2002): how often a window holds a different number of boundaries.
// k defaults to half the mean reference topic length, as in both papers.

export type Labels = number[];

/** Labels from boundary positions: `starts` are the unit indices where a new topic begins. */
export function labelsFromStarts(n: number, starts: number[]): Labels {
  const set = new Set(starts.filter((s) => s > 0 && s < n));
  const out: Labels = [];
  let label = 0;
  for (let i = 0; i < n; i++) {
    if (set.has(i)) label++;
    out.push(label);
  }
  return out;
}

function boundariesBetween(labels: Labels, from: number, to: number): number {
  let b = 0;
  for (let i = from + 1; i <= to; i++) if (labels[i] !== labels[i - 1]) b++;
  return b;
}

export function defaultK(reference: Labels): number {
  const topics = 1 + boundariesBetween(reference, 0, reference.length - 1);
  return Math.max(1, Math.round(reference.length / topics / 2));
}

export function pk(reference: Labels, hypothesis: Labels, k = defaultK(reference)): number {
  if (reference.length !== hypothesis.length) throw new Error('segmentations differ in length');
  const windows = reference.length - k;
  if (windows <= 0) return 0;
  let errors = 0;
  for (let i = 0; i < windows; i++) {
    const sameRef = reference[i] === reference[i + k];
    const sameHyp = hypothesis[i] === hypothesis[i + k];
    if (sameRef !== sameHyp) errors++;
  }
  return errors / windows;
}

export function windowDiff(reference: Labels, hypothesis: Labels, k = defaultK(reference)): number {
  if (reference.length !== hypothesis.length) throw new Error('segmentations differ in length');
  const windows = reference.length - k;
  if (windows <= 0) return 0;
  let errors = 0;
  for (let i = 0; i < windows; i++) if (boundariesBetween(reference, i, i + k) !== boundariesBetween(hypothesis, i, i + k)) errors++;
  return errors / windows;
}

/**
 * Reference labels from annotated topics (`relevantSpans`: inclusive [first, last] unit indices).
 * Units no topic covers continue the topic before them (the first ones join the first topic).
 */
export function labelsFromSpans(n: number, topics: Array<{ relevantSpans: Array<[number, number]> }>): Labels {
  const owner = new Array<number>(n).fill(-1);
  topics.forEach((t, ti) => {
    for (const [a, b] of t.relevantSpans) for (let i = Math.max(0, a); i <= Math.min(n - 1, b); i++) if (owner[i] < 0) owner[i] = ti;
  });
  const first = owner.find((x) => x >= 0) ?? 0;
  let prev = first;
  const filled = owner.map((x) => (x >= 0 ? (prev = x) : prev));
  // Renumber by runs, so a topic that comes back later counts as a new stretch.
  return labelsFromStarts(n, filled.map((x, i) => (i > 0 && x !== filled[i - 1] ? i : -1)).filter((i) => i > 0));
}

/**
 * Hypothesis labels from key-point sections, as an API client sees them: each section's points
 * cite segments; a boundary is placed midway between one section's last cited segment and the
 * next section's first.
 */
export function labelsFromSections(n: number, sections: Array<{ pointDetails: Array<{ evidence: Array<{ segmentIndex: number }> }> }>): Labels {
  const ranges = sections
    .map((s) => s.pointDetails.flatMap((p) => p.evidence.map((e) => e.segmentIndex)))
    .filter((ix) => ix.length)
    .map((ix) => [Math.min(...ix), Math.max(...ix)] as const);
  const starts: number[] = [];
  for (let i = 1; i < ranges.length; i++) starts.push(Math.ceil((ranges[i - 1][1] + ranges[i][0] + 1) / 2));
  return labelsFromStarts(n, starts);
}
