import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insightsSchema } from '../schemas.js';
import { createLocalEngine } from './engine.js';
import { assertEvidence } from './testing/assertions.js';
import { frustratedSupportChat, smallTalkDialogue, successfulBookingChat } from './testing/conversations.js';

const engine = createLocalEngine();

test('a booked, thanked support chat: completed, positive, hotel and train', async () => {
  const c = successfulBookingChat();
  const r = await engine.insights(c);
  insightsSchema.parse(r);
  assert.equal(r.taskCompleted, true);
  assert.ok(r.taskSignals.some((s) => /success confirmed/.test(s)));
  assert.equal(r.sentiment, 'positive');
  assert.ok(r.sentimentScore > 0.45);
  assert.deepEqual([...r.topics].sort(), ['hotel', 'train']);
  assert.deepEqual(r.issues, []);
  assert.match(r.summary, /^The user needs a cheap hotel/);
});

test('a failing support chat: not completed, negative, with frustration, error and unresolved issues', async () => {
  const c = frustratedSupportChat();
  const r = await engine.insights(c);
  insightsSchema.parse(r);
  assert.equal(r.taskCompleted, false);
  assert.equal(r.sentiment, 'negative');
  assert.ok(r.sentimentScore < -0.4);
  assert.ok(r.topics.includes('payments'));
  const types = new Set(r.issues.map((i) => i.type));
  assert.ok(types.has('frustration') && types.has('unresolved_request'));
  assert.ok(r.issues.some((i) => i.type === 'frustration' && /still not working/.test(i.evidence[0].quote)));
  for (const i of r.issues) assertEvidence(c, i.evidence, i.description);
});

test('a dialogue summary is third person and uses the names people are called by', async () => {
  const r = await engine.insights(smallTalkDialogue());
  assert.match(r.summary, /Lucy/);
  assert.match(r.summary, /Rusty is lost/);
  assert.ok(!/\b(?:I|my|you|your)\b/.test(r.summary), `no first or second person in "${r.summary}"`);
  // Nobody asked for a service, so there is no task to judge.
  assert.equal(r.taskCompleted, null);
});
