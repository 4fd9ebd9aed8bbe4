import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryResultSchema } from '../schemas.js';
import { createLocalEngine } from './engine.js';
import { assertEvidence } from './fixtures/assertions.js';
import { planningMeeting } from './fixtures/planning-meeting.js';
import { parseQuery } from './query-parse.js';
import { prepareTranscript } from './transcript.js';

const engine = createLocalEngine();

test('query intents', () => {
  const t = prepareTranscript(planningMeeting());
  assert.equal(parseQuery(t, 'Summarize the whole meeting.').intent, 'summary');
  assert.equal(parseQuery(t, 'What was the general discussion of the meeting?').intent, 'summary');
  assert.equal(parseQuery(t, 'What were the main action items?').intent, 'action_items');
  assert.equal(parseQuery(t, 'What was decided?').intent, 'decisions');
  assert.equal(parseQuery(t, 'Who attended the meeting?').intent, 'people');
  const specific = parseQuery(t, 'Summarize the discussion about starter plan pricing.');
  assert.equal(specific.intent, 'specific');
  assert.ok(specific.terms.has('price') || specific.terms.has('pric'));
  assert.deepEqual(parseQuery(t, 'What did Bob think about churn?').speakers, ['Bob']);
});

test('action items are answered from the extracted structure', async () => {
  const c = planningMeeting();
  const r = await engine.query(c, 'What were the main action items?');
  queryResultSchema.parse(r);
  assert.match(r.response, /Bob will send the updated roadmap by Friday \(due 2026-03-20\)/);
  assert.match(r.response, /Carol will draft the pricing announcement/);
  assert.equal(r.metadata.segmentsAnalyzed, c.segments.length);
  assert.equal(r.metadata.conversationDuration, 4.2);
  assertEvidence(c, r.evidence, 'action items answer');
  assert.ok(r.suggestedQueries.length >= 3 && !r.suggestedQueries.includes('What were the main action items?'));
});

test('a summary request is answered with a meeting summary', async () => {
  const r = await engine.query(planningMeeting(), 'Summarize the whole meeting.');
  assert.equal(r.metadata.intent, 'summary');
  assert.match(r.response, /^The meeting covered/);
  assert.match(r.response, /starter plan/);
});

test('a specific question retrieves the passage that answers it', async () => {
  const c = planningMeeting();
  const r = await engine.query(c, 'When is the launch event?');
  assert.match(r.response, /April 15/);
  assertEvidence(c, r.evidence, 'launch event answer');
  const why = await engine.query(c, 'Why are small business customers churning?');
  assert.match(why.response, /too expensive/);
  assert.ok(!/\b(?:um|uh)\b/i.test(why.response), 'answers are cleaned of fillers');
});

test('a question the conversation does not cover says so', async () => {
  const r = await engine.query(planningMeeting(), 'What did they say about quantum cryptography?');
  assert.match(r.response, /does not seem to address/);
});
