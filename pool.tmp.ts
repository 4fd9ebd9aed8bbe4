import { readFileSync } from 'node:fs';
import { createPooledLocalEngine } from './src/engines/local/pool.js';
const q = JSON.parse(readFileSync('../shared/data/qmsum.dev.json', 'utf8'));
const conv = (m: any) => ({ id: m.id, title: null, kind: 'meeting' as const, startTime: null, segments: m.segments.map((s: any, i: number) => ({ index: i, text: s.text, speaker: s.speaker, timestamp: null })) });
const e = createPooledLocalEngine({ threads: 4 });
let maxLag = 0; let last = performance.now();
const timer = setInterval(() => { const now = performance.now(); maxLag = Math.max(maxLag, now - last - 10); last = now; }, 10);
const t0 = performance.now();
const res = await Promise.all(q.map((m: any) => e.keypoints(conv(m))));
console.log('10 keypoints', (performance.now() - t0).toFixed(0), 'ms; max event-loop lag', maxLag.toFixed(0), 'ms;', res.map((r) => r.sections.length).join(','));
try { await e.feedback(conv({ ...q[0], segments: q[0].segments.slice(0, 3) }), {}); } catch (err: any) { console.log('error', err.name, err.code, err.message, err.status); }
clearInterval(timer);
await e.close!();
