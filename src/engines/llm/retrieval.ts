// Plain BM25 over transcript chunks, to pick the parts of a long conversation a question is
// about. Word forms are folded with a crude suffix strip: good enough to match "deadline" with
// "deadlines" and "ship" with "shipping", which is most of what retrieval needs here.
const STOP = new Set(
  ('a an the and or but if of to in on at by for with from as is are was were be been being it its this that these those i you he she we they me him her us them my your our their ' +
    'what which who whom when where why how do does did done can could should would will shall may might must have has had not no yes so than then there here about into over ' +
    'any all some just also very really please tell say said talk talked discuss discussed conversation meeting call').split(' '),
);

function stem(w: string): string {
  if (w.length <= 4) return w;
  for (const suf of ['ing', 'edly', 'ed', 'ies', 'es', 's', 'ly']) {
    if (w.endsWith(suf) && w.length - suf.length >= 3) {
      const base = w.slice(0, -suf.length);
      return suf === 'ies' ? `${base}y` : base.replace(/(.)\1$/, '$1');
    }
  }
  return w;
}

export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w)).map(stem);
}

/** BM25 (k1 = 1.2, b = 0.75) of each document against the query terms. */
export function bm25(docs: string[][], query: string[], k1 = 1.2, b = 0.75): number[] {
  const n = docs.length;
  if (!n || !query.length) return new Array<number>(n).fill(0);
  const avg = docs.reduce((a, d) => a + d.length, 0) / n || 1;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const q = [...new Set(query)];
  return docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    let score = 0;
    for (const t of q) {
      const f = tf.get(t) ?? 0;
      if (!f) continue;
      const nt = df.get(t) ?? 0;
      const idf = Math.log(1 + (n - nt + 0.5) / (nt + 0.5));
      score += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.length) / avg));
    }
    return score;
  });
}
