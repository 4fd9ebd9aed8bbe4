// One user flooding the analysis threads with huge transcripts must not hold up another user's
// small analysis, and work whose client went away must give its thread back. Real worker threads.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AppError } from '../../domain/errors.js';
import type { EngineConversation } from '../types.js';
import { createPooledLocalEngine } from './pool.js';
import { planningMeeting } from './testing/planning-meeting.js';

function hugeMeeting(segments: number): EngineConversation {
  return {
    id: 'huge',
    title: 'Huge',
    kind: 'meeting',
    startTime: null,
    segments: Array.from({ length: segments }, (_, i) => ({
      index: i,
      speaker: ['Alice', 'Bob', 'Sarah'][i % 3],
      timestamp: null,
      text: `Item ${i}: I'll send the revised budget to finance by Friday, and we agreed to move the launch review to next Tuesday.`,
    })),
  };
}

const pooled = createPooledLocalEngine({ threads: 2, perUser: 1, abandonAfterMs: 0 });
after(() => pooled.close?.());

const HUGE = 6_000;

// The mean, not the median: queued behind the flood, the first run waits for all of it and the
// later ones find the pool idle again, which a median would hide.
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Three lines, like a quick question about a short chat. */
const threeLines: EngineConversation = {
  id: 'small',
  title: 'Small',
  kind: 'meeting',
  startTime: null,
  segments: [
    { index: 0, speaker: 'Dana', timestamp: null, text: 'Can you send the budget to finance by Friday?' },
    { index: 1, speaker: 'Lee', timestamp: null, text: "Yes, I'll send it by Friday." },
    { index: 2, speaker: 'Dana', timestamp: null, text: 'Great, and we agreed to move the review to Tuesday.' },
  ],
};

async function timeSmall(runs: number): Promise<number[]> {
  const small = threeLines;
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await pooled.keypoints(small, { userId: 'small-user' });
    out.push(performance.now() - started);
  }
  return out;
}

test("another user's small analysis stays within 3x its idle latency while one user floods the pool", async () => {
  // Warm every thread (the general ones and the one kept for small work) so start-up is not measured.
  await Promise.all(Array.from({ length: 3 }, (_, i) => pooled.keypoints(planningMeeting(), { userId: `warm${i}` })));
  const idle = mean(await timeSmall(12));

  const flood = new AbortController();
  const huge = hugeMeeting(HUGE);
  const runs = Array.from({ length: 6 }, () => pooled.keypoints(huge, { userId: 'flooder', signal: flood.signal }).then(() => 'done', (e: unknown) => e));
  await new Promise((r) => setTimeout(r, 50));
  const loaded = mean(await timeSmall(12));
  flood.abort();
  const outcomes = await Promise.all(runs);

  console.log(`small analysis: idle ${idle.toFixed(1)} ms, while flooded ${loaded.toFixed(1)} ms (${(loaded / idle).toFixed(2)}x)`);
  assert.ok(loaded <= 3 * idle, `mean ${loaded.toFixed(1)} ms while flooded vs ${idle.toFixed(1)} ms idle`);
  // The client went away: the queued runs were dropped, and the running one was cut short.
  const cancelled = outcomes.filter((o) => o instanceof AppError && o.code === 'service_unavailable').length;
  assert.ok(cancelled >= 5, `abandoned runs cancelled (${outcomes.map((o) => (o instanceof Error ? o.message : o)).join('; ')})`);
});

test('an abandoned run gives its thread back within the budget, and the next one still works', async () => {
  const huge = hugeMeeting(HUGE);
  // The same run to its end, for comparison (on a warm thread).
  const fullStarted = performance.now();
  const result = await pooled.keypoints(huge, { userId: 'leaver' });
  const fullMs = performance.now() - fullStarted;
  assert.ok(result.sections.length > 0);

  const gone = new AbortController();
  const started = performance.now();
  const run = pooled.keypoints(huge, { userId: 'leaver', signal: gone.signal });
  await new Promise((r) => setTimeout(r, 50));
  gone.abort();
  await assert.rejects(run, (err: unknown) => err instanceof AppError && err.code === 'service_unavailable');
  const abandonedMs = performance.now() - started;
  console.log(`abandoned after ${abandonedMs.toFixed(0)} ms; a full run takes ${fullMs.toFixed(0)} ms`);
  assert.ok(abandonedMs < fullMs / 2, 'the abandoned run did not hold its thread to the end');
  // The thread it held was stopped; the pool starts another for the next analysis.
  assert.ok((await pooled.keypoints(planningMeeting(), { userId: 'leaver' })).sections.length > 0);
});
