import { readFileSync } from 'node:fs';
import { createPooledLocalEngine } from './src/engines/local/pool.js';
const q = JSON.parse(readFileSync('../shared/data/qmsum.dev.json', 'utf8'));
const conv = (m: any) => ({ id: m.id, title: null, kind: 'meeting' as const, startTime: null, segments: m.segments.map((s: any, i: number) => ({ index: i, text: s.text, speaker: s.speaker, timestamp: null })) });
const e = createPooledLocalEngine({ threads: 4 });
for (let round = 0; round < 3; round++) {
  let maxLag = 0; let last = performance.now();
  const timer = setInterval(() => { const now = performance.now(); maxLag = Math.max(maxLag, now - last - 10); last = now; }, 10);
  const t0 = performance.now();
  await Promise.all(q.map((m: any) => e.keypoints(conv(m))));
  console.log(`round ${round}: 10 keypoints`, (performance.now() - t0).toFixed(0), 'ms; max event-loop lag', maxLag.toFixed(0), 'ms');
  clearInterval(timer);
}
await e.close!();
