// The local engine: offline, deterministic, no model files (SPEC §8). Work runs synchronously in
// the calling thread; use `createPooledLocalEngine` (pool.ts) to keep it off the event loop.
import type { AnalysisEngine, EngineConversation } from '../types.js';
import { emailOp, feedbackOp, insightsOp, keypointsOp, queryOp } from './operations.js';

export const LOCAL_ENGINE_NAME = 'local';

export function createLocalEngine(): AnalysisEngine {
  // Promise-returning wrappers so synchronous throws (e.g. too few segments) become rejections.
  const run = <T>(f: () => T): Promise<T> => new Promise((resolve) => resolve(f()));
  return {
    name: LOCAL_ENGINE_NAME,
    keypoints: (c: EngineConversation) => run(() => keypointsOp(c)),
    feedback: (c, opts) => run(() => feedbackOp(c, opts)),
    query: (c, query) => run(() => queryOp(c, query)),
    email: (c, opts) => run(() => emailOp(c, opts)),
    insights: (c) => run(() => insightsOp(c)),
  };
}
