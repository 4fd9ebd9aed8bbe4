import { createLocalEngine } from './src/engines/local/engine.js';
const e = createLocalEngine();
const mk = (texts: string[]) => ({ id: 'z', title: null, kind: 'meeting' as const, startTime: null, segments: texts.map((text, index) => ({ index, text, speaker: ['A', 'B', 'C'][index % 3], timestamp: null })) });
const c = mk(Array.from({ length: 30 }, (_, i) => `so i think we should maybe uh look at the numbers again and then decide what to do with the budget item ${i} okay`));
await e.keypoints(mk(['warm up sentence here.']));
for (const op of ['keypoints', 'q1', 'q2', 'email', 'insights', 'feedback']) {
  const t0 = performance.now();
  if (op === 'keypoints') await e.keypoints(c); else if (op === 'q1') await e.query(c, 'Summarize the meeting'); else if (op === 'q2') await e.query(c, 'What about the budget?'); else if (op === 'email') await e.email(c, { tone: 'concise' }); else if (op === 'insights') await e.insights(c); else await e.feedback(c, {});
  console.log(op, (performance.now() - t0).toFixed(0));
}
