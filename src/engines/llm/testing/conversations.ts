// Synthetic conversations for the LLM engine's tests: predictable text, so a scripted model can
// quote real lines and a test can tell which segments a request showed.
import type { EngineConversation, Segment } from '../../types.js';

const SPEAKERS = ['Alice Chen', 'Bob Ortiz', 'Carol Diaz'];
const TOPICS = ['budget', 'hiring plan', 'launch date', 'vendor contract', 'security review', 'customer feedback', 'pricing page', 'support backlog'];

export function segmentText(i: number): string {
  const topic = TOPICS[Math.floor(i / 6) % TOPICS.length];
  switch (i % 4) {
    case 0:
      return `Let's look at the ${topic} now, item ${i} needs a decision from us this week.`;
    case 1:
      return `I think option ${i} for the ${topic} is safer, because the numbers we saw last month were weak.`;
    case 2:
      return `Can you check the ${topic} figures for item ${i} before Friday?`;
    default:
      return `Sure, I will send the ${topic} report for item ${i} by Friday and copy everyone.`;
  }
}

export function meeting(n: number, opts: { textOf?: (i: number) => string; title?: string } = {}): EngineConversation {
  const start = Date.UTC(2025, 2, 3, 9, 0, 0);
  const segments: Segment[] = Array.from({ length: n }, (_, i) => ({
    index: i,
    speaker: SPEAKERS[i % SPEAKERS.length],
    timestamp: new Date(start + i * 20_000).toISOString(),
    text: (opts.textOf ?? segmentText)(i),
  }));
  return { id: 'conv_test', title: opts.title ?? 'Weekly planning', kind: 'meeting', startTime: new Date(start).toISOString(), segments };
}
