import { readFileSync } from 'node:fs';
import { prepareTranscript } from './src/engines/local/transcript.js';
import { buildKeypoints } from './src/engines/local/keypoints.js';
const q = JSON.parse(readFileSync('/work/shared/data/qmsum.dev.json', 'utf8'));
const which = process.argv[2] ? q.filter((m: any) => m.id.includes(process.argv[2])) : q.slice(0, 1);
for (const m of which) {
  const conv = { id: m.id, title: null, kind: 'meeting' as const, startTime: '2026-03-18T14:00:00Z', segments: m.segments.map((s: any, i: number) => ({ index: i, text: s.text, speaker: s.speaker, timestamp: null })) };
  let t0 = performance.now();
  const t = prepareTranscript(conv);
  const t1 = performance.now();
  const kp = buildKeypoints(t);
  console.log(m.id, 'prep', (t1 - t0).toFixed(0), 'kp', (performance.now() - t1).toFixed(0));
  console.log(JSON.stringify({ ...kp, sections: kp.sections.map((s) => ({ h: s.heading, p: s.points })), decisionDetails: undefined, actionItems: kp.actionItems.map(a => [a.item, a.owner, a.confidence, a.priority, a.dueDate, a.evidence[0].quote]) }, null, 1));
  console.log('REF topics', m.references.topics.map((x: any) => x.topic));
}
