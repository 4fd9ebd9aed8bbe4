import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AppError } from '../../domain/errors.js';
import { createLocalEngine } from './engine.js';
import { coachingTranscript, threeTopicMeeting } from './testing/conversations.js';
import { planningMeeting } from './testing/planning-meeting.js';
import { createPooledLocalEngine } from './pool.js';

const pooled = createPooledLocalEngine({ threads: 2 });
const local = createLocalEngine();
after(() => pooled.close?.());

test('the pooled engine returns exactly what the in-thread engine returns', async () => {
  const c = planningMeeting();
  assert.deepEqual(await pooled.keypoints(c), await local.keypoints(c));
  assert.deepEqual(await pooled.query(c, 'What are the action items?'), await local.query(c, 'What are the action items?'));
  assert.deepEqual(await pooled.email(c, { tone: 'concise', recipientName: 'Bob' }), await local.email(c, { tone: 'concise', recipientName: 'Bob' }));
  assert.deepEqual(await pooled.feedback(coachingTranscript(), { userSpeakerName: 'Dana' }), await local.feedback(coachingTranscript(), { userSpeakerName: 'Dana' }));
  assert.deepEqual(await pooled.insights(c), await local.insights(c));
});

test('an AppError thrown in a worker arrives as an AppError', async () => {
  const c = planningMeeting();
  await assert.rejects(pooled.feedback({ ...c, segments: c.segments.slice(0, 3) }, {}), (err: unknown) => {
    assert.ok(err instanceof AppError, 'AppError class survives the thread boundary');
    assert.equal(err.code, 'validation_error');
    assert.equal(err.status, 400);
    return true;
  });
});

test('ten concurrent analyses leave the event loop responsive', async () => {
  const big = threeTopicMeeting();
  // Warm both workers so the measurement is about analysis, not thread start-up.
  await Promise.all([pooled.keypoints(big), pooled.keypoints(big)]);
  let ticks = 0;
  let maxGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 5);
  const results = await Promise.all(Array.from({ length: 10 }, () => pooled.keypoints(big)));
  clearInterval(timer);
  assert.equal(results.length, 10);
  assert.ok(results.every((r) => JSON.stringify(r) === JSON.stringify(results[0])));
  assert.ok(ticks > 0, 'timers kept firing while the pool worked');
  // In-thread, the same work blocks the loop for its whole duration; through the pool no single
  // stall should come near one analysis' cost. Generous bound for a busy CI machine.
  assert.ok(maxGap < 250, `longest event-loop stall ${maxGap.toFixed(0)} ms`);
});
