// The reduce half of map-reduce: merge partial results with model calls, in as many rounds as
// the context window demands (merge groups that fit, then merge the merges).
import { fits, type LlmContext } from './context.js';
import { mapLimit } from './run.js';

export interface Reducer<P> {
  system: string;
  /** The merge prompt for a group of partial results. */
  render: (group: P[]) => string;
  merge: (group: P[], signal?: AbortSignal) => Promise<P>;
  /** Deterministic fallback when not even two partial results fit in one call. */
  concat: (group: P[]) => P;
}

export async function reduceTree<P>(ctx: LlmContext, parts: P[], r: Reducer<P>): Promise<P> {
  let level = parts;
  while (level.length > 1) {
    if (fits(ctx, r.system, r.render(level))) return r.merge(level);
    const groups: P[][] = [];
    let cur: P[] = [];
    for (const p of level) {
      if (cur.length && !fits(ctx, r.system, r.render([...cur, p]))) {
        groups.push(cur);
        cur = [];
      }
      cur.push(p);
    }
    if (cur.length) groups.push(cur);
    if (groups.length === level.length) return r.concat(level);
    level = await mapLimit(groups, ctx.concurrency, (g, signal) => (g.length === 1 ? Promise.resolve(g[0]) : r.merge(g, signal)));
  }
  return level[0];
}
