import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryResultSchema } from '../schemas.js';
import { createLocalEngine } from './engine.js';
import { assertEvidence } from './testing/assertions.js';
import { planningMeeting } from './testing/planning-meeting.js';
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
  const ctx = parseQuery(t, 'When discussing the budget, what did Carol say about pricing?');
  assert.equal(ctx.intent, 'specific');
  assert.deepEqual(ctx.speakers, ['Carol']);
  assert.equal(ctx.terms.get('budget'), 0.5, 'the "when discussing" clause is context');
  assert.equal(parseQuery(t, 'When is the launch event?').intent, 'dates');
});

test('action items are answered from the extracted structure', async () => {
  const c = planningMeeting();
  const r = await engine.query(c, 'What were the main action items?');
  queryResultSchema.parse(r);
  assert.match(r.response, /^5 action items were agreed: \(1\) Bob will send the updated roadmap by Friday \(March 20\);/);
  assert.match(r.response, /Carol will draft the pricing announcement/);
  assert.equal(r.metadata.segmentsAnalyzed, c.segments.length);
  assert.equal(r.metadata.conversationDuration, 4.2);
  assertEvidence(c, r.evidence, 'action items answer');
  assert.ok(r.suggestedQueries.length >= 3 && !r.suggestedQueries.includes('What were the main action items?'));
});

test('"who" and "when" questions about one task are answered from the extracted items', async () => {
  const who = await engine.query(planningMeeting(), 'Who is responsible for the roadmap?');
  assert.equal(who.metadata.intent, 'action_items');
  assert.equal(who.response, 'Bob. Bob will send the updated roadmap by Friday (March 20).');
  const when = await engine.query(planningMeeting(), 'When is the roadmap due?');
  assert.equal(when.metadata.intent, 'dates');
  assert.match(when.response, /^The roadmap is due on Friday, March 20\. Bob will send the updated roadmap by Friday/);
});

test('a summary request is answered with a meeting summary', async () => {
  const r = await engine.query(planningMeeting(), 'Summarize the whole meeting.');
  assert.equal(r.metadata.intent, 'summary');
  assert.match(r.response, /^The meeting was mainly about /);
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
  assert.match(r.response, /^Nothing in this conversation answers that\./);
  assert.match(r.response, /You could ask: “What are the action items\?”/);
});
