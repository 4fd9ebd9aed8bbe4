// Notes a person would send, through the API: a summary on top of the key points, points in the
// third person, answers that lead with the answer, emails with the recipient's tasks first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { createLocalEngine } from '../../src/engines/local/engine.js';

// A vendor call on a Tuesday; the question about requirements is answered in the next turn.
const call = {
  title: 'Pilot scoping call',
  startTime: '2026-02-24T15:00:00.000Z',
  content: [
    'Priya Nair: Thanks for joining. We want to agree the scope of the analytics pilot today.',
    'Priya Nair: You mentioned compliance requirements on the last call, Tomas, can you walk me through them?',
    'Tomas Berg: Sure. We need ISO 27001 certification, single sign-on through Okta, and all customer data stored in Frankfurt.',
    'Priya Nair: Um, so our hosting in Frankfurt is, you know, already available for the pilot.',
    'Tomas Berg: The board will hold the purchase review on Thursday, March 5.',
    'Priya Nair: We decided to start the pilot with the finance team only.',
    "Tomas Berg: I'll send the list of finance users by Friday.",
    'Priya Nair: I will send the pilot proposal by Monday.',
  ].join('\n'),
};

describe(`notes through the API (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;
  let id: string;
  before(async () => {
    t = await startTestApp({ overrides: { engine: createLocalEngine() } });
    key = (await t.user('enterprise')).key;
    const r = await t.request('POST', '/api/v1/conversations', { key, body: call });
    assert.equal(r.status, 200, r.text);
    id = r.body.data.id;
  });
  after(async () => t.close());

  test('key points carry a 3–6 sentence summary and points written as notes', async () => {
    const r = await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key, body: {} });
    assert.equal(r.status, 200, r.text);
    const kp = r.body.data.keypoints;
    const sentences = kp.summary.split(/(?<=[.!?])\s+(?=[A-Z])/);
    assert.ok(sentences.length >= 3 && sentences.length <= 6, kp.summary);
    assert.match(kp.summary, /decided to start the pilot with the finance team only/);
    assert.match(kp.summary, /Tomas Berg will send the list of finance users by Friday \(February 27\)/);
    const points: string[] = kp.sections.flatMap((s: { points: string[] }) => s.points);
    assert.ok(points.length > 0);
    for (const p of points) assert.ok(!/\b(?:um|uh|you know)\b|\b(?:I|I'll|we|our)\b/i.test(p), `note, not quote: "${p}"`);
    // The cached copy has the summary too.
    const cached = await t.request('GET', `/api/v1/conversations/${id}/keypoints`, { key });
    assert.equal(cached.body.data.keypoints.summary, kp.summary);
  });

  test('answers lead with the answer and do not repeat the question', async () => {
    const ask = async (query: string) => {
      const r = await t.request('POST', `/api/v1/conversations/${id}/query`, { key, body: { query } });
      assert.equal(r.status, 200, r.text);
      return r.body.data.response as string;
    };
    const what = await ask('What compliance requirements did Tomas mention?');
    assert.match(what, /^Tomas Berg said .*ISO 27001 certification, single sign-on through Okta, and all customer data stored in Frankfurt/);
    assert.ok(!what.includes('can you walk me through them'), what);
    assert.match(await ask('When is the purchase review?'), /^The purchase review is on Thursday, March 5\./);
    assert.match(await ask('What did they say about the catering budget for the offsite?'), /^Nothing in this conversation answers that\./);
  });

  test('an email to Tomas puts his task first and has every action item with its due date', async () => {
    const r = await t.request('POST', `/api/v1/conversations/${id}/email`, { key, body: { recipientName: 'Tomas', tone: 'professional' } });
    assert.equal(r.status, 200, r.text);
    const e = r.body.data;
    assert.equal(e.actionItems[0], 'Tomas Berg: Send the list of finance users by Friday (due 2026-02-27)');
    assert.ok(e.actionItems.includes('Priya Nair: Send the pilot proposal by Monday (due 2026-03-02)'), JSON.stringify(e.actionItems));
    assert.match(e.body, /^Dear Tomas,/);
    assert.match(e.body, /Your action items:\n- Send the list of finance users by Friday \(February 27\)\./);
    assert.match(e.body, /Priya Nair will send the pilot proposal by Monday \(March 2\)\./);
    assert.match(e.body, /Decisions:\n- The team decided to start the pilot with the finance team only\./);
    assert.ok(!/^- .*\b(?:I|I'll|we)\b/m.test(e.body), e.body);
  });
});
