import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { createLocalEngine } from '../../src/engines/local/engine.js';
import type { AnalysisEngine } from '../../src/engines/types.js';
import { startWorkers } from '../../src/workers.js';

const START = '2026-03-16T14:00:00.000Z'; // a Monday

// A small planning meeting with commitments, a decision and dates, 12 segments.
const meeting = {
  title: 'Q2 launch sync',
  startTime: START,
  content: [
    "Alice: Let's review the launch plan for the mobile app.",
    'Bob: The beta feedback was mostly positive, but onboarding is still confusing.',
    'Alice: We decided to ship the new onboarding flow before the launch.',
    "Sarah: I'll send the updated roadmap to the leadership team by Friday.",
    'Bob: Can you also check the analytics dashboard, Sarah?',
    "Sarah: Sure, I'll look at the dashboard tomorrow.",
    'Alice: Bob will prepare the release notes for the April 1 launch.',
    'Bob: The marketing budget is tight, so we should focus on email campaigns.',
    'Alice: Agreed, let us go with email first and revisit paid ads in May.',
    'Sarah: Support needs the FAQ updated before launch day.',
    "Bob: I'll draft the FAQ this week.",
    'Alice: Great, thanks everyone. Same time next Monday.',
  ].join('\n'),
};

describe(`analysis endpoints (${dbLabel})`, () => {
  let t: TestApp;
  let failing = false;
  before(async () => {
    const local = createLocalEngine();
    // The local engine, with a switch that makes every call fail like an unreachable provider.
    const engine: AnalysisEngine = {
      name: 'local',
      keypoints: (c) => (failing ? Promise.reject(new Error('provider down')) : local.keypoints(c)),
      feedback: (c, o) => (failing ? Promise.reject(new Error('provider down')) : local.feedback(c, o)),
      query: (c, q) => (failing ? Promise.reject(new Error('provider down')) : local.query(c, q)),
      email: (c, o) => (failing ? Promise.reject(new Error('provider down')) : local.email(c, o)),
      insights: (c) => (failing ? Promise.reject(new Error('provider down')) : local.insights(c)),
    };
    t = await startTestApp({ overrides: { engine } });
  });
  after(async () => t.close());

  async function createMeeting(key: string, body: Record<string, unknown> = meeting) {
    const r = await t.request('POST', '/api/v1/conversations', { key, body });
    assert.equal(r.status, 200, r.text);
    return r.body.data.id as string;
  }

  async function used(key: string) {
    const r = await t.request('GET', '/api/v1/user/profile', { key });
    return r.body.data.apiUsage.aiGenerations;
  }

  test('key points: 404 before, generated with evidence, then cached for free, forceRefresh spends again', async () => {
    const u = await t.user('professional');
    const id = await createMeeting(u.key);
    const before = await t.request('GET', `/api/v1/conversations/${id}/keypoints`, { key: u.key });
    assert.equal(before.status, 404);
    assert.equal(before.body.error.code, 'not_found');

    const gen = await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key: u.key, body: {} });
    assert.equal(gen.status, 200, gen.text);
    const d = gen.body.data;
    assert.equal(d.cached, false);
    assert.equal(d.id, id);
    assert.equal(d.title, 'Q2 launch sync');
    const kp = d.keypoints;
    for (const k of ['sections', 'decisions', 'actionItems', 'participants', 'importantDates']) assert.ok(Array.isArray(kp[k]), k);
    assert.ok(kp.participants.includes('Sarah') && kp.participants.includes('Bob'));
    const roadmap = kp.actionItems.find((a: any) => /roadmap/i.test(a.item));
    assert.ok(roadmap, JSON.stringify(kp.actionItems));
    assert.equal(roadmap.owner, 'Sarah');
    assert.ok(roadmap.evidence.length > 0);
    const segments = (await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key: u.key })).body.data.segments;
    for (const item of kp.actionItems) {
      for (const e of item.evidence) assert.ok(segments[e.segmentIndex].text.includes(e.quote), `evidence quote not in segment ${e.segmentIndex}`);
    }
    assert.equal((await used(u.key)).used, 1);

    const again = await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key: u.key });
    assert.equal(again.body.data.cached, true);
    assert.equal((await used(u.key)).used, 1);
    const get = await t.request('GET', `/api/v1/conversations/${id}/keypoints`, { key: u.key });
    assert.equal(get.status, 200);
    assert.deepEqual(get.body.data.keypoints, kp);
    assert.equal(get.body.data.cached, undefined);

    const refresh = await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key: u.key, body: { forceRefresh: true } });
    assert.equal(refresh.body.data.cached, false);
    assert.equal((await used(u.key)).used, 2);

    // The ready events went to the outbox with the seed's fields (a webhook subscribed to them).
    const events = await t.container.db.selectFrom('webhook_deliveries').select(['event', 'payload']).where('user_id', '=', u.userId).execute();
    assert.equal(events.length, 0, 'no webhook registered yet, so no deliveries');
  });

  test('ready events are written to the outbox for subscribed webhooks', async () => {
    const u = await t.user('professional');
    await t.container.db
      .insertInto('webhooks')
      .values({ id: `wh_${u.userId}`, user_id: u.userId, url: 'https://hooks.example.com/x', events: JSON.stringify(['conversation.keypoints.ready', 'conversation.summary.ready', 'conversation.action_items.ready', 'conversation.feedback.ready']), secret: 'whsec_test' })
      .execute();
    const id = await createMeeting(u.key);
    await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key: u.key });
    await t.request('POST', `/api/v1/conversations/${id}/feedback`, { key: u.key });
    const rows = await t.container.db.selectFrom('webhook_deliveries').select(['event', 'payload']).where('user_id', '=', u.userId).execute();
    const byEvent = Object.fromEntries(rows.map((r) => [r.event, JSON.parse(r.payload)]));
    assert.deepEqual(Object.keys(byEvent).sort(), ['conversation.action_items.ready', 'conversation.feedback.ready', 'conversation.keypoints.ready', 'conversation.summary.ready']);
    assert.deepEqual(byEvent['conversation.keypoints.ready'].data, { conversationId: id, title: 'Q2 launch sync' });
    assert.equal(typeof byEvent['conversation.summary.ready'].data.sectionCount, 'number');
    assert.equal(typeof byEvent['conversation.action_items.ready'].data.actionItemCount, 'number');
    assert.equal(typeof byEvent['conversation.feedback.ready'].data.overallScore, 'number');
  });

  test('feedback: seed shape, speaker choice, fewer than 10 segments is 400 and free', async () => {
    const u = await t.user('professional');
    const id = await createMeeting(u.key);
    const r = await t.request('POST', `/api/v1/conversations/${id}/feedback`, { key: u.key, body: { userSpeakerName: 'bob' } });
    assert.equal(r.status, 200, r.text);
    const d = r.body.data;
    assert.equal(d.userSpeakerName, 'Bob');
    assert.equal(d.overallScore, d.feedback.overallScore);
    for (const k of ['clarity', 'listening', 'timeManagement', 'collaboration', 'decisionMaking']) {
      assert.ok(d.feedback.categoryScores[k] >= 0 && d.feedback.categoryScores[k] <= 10, k);
    }
    assert.ok(d.feedback.talkListenRatio > 0 && d.feedback.talkListenRatio < 1);
    assert.ok(d.feedback.topPriority.focus && d.feedback.topPriority.alternative);
    // A cached result for Bob is not an answer for Sarah.
    const sarah = await t.request('POST', `/api/v1/conversations/${id}/feedback`, { key: u.key, body: { userSpeakerName: 'Sarah' } });
    assert.equal(sarah.body.data.cached, false);
    assert.equal(sarah.body.data.userSpeakerName, 'Sarah');
    const spent = (await used(u.key)).used;
    // The same speaker in other case is the cached answer, for free.
    const again = await t.request('POST', `/api/v1/conversations/${id}/feedback`, { key: u.key, body: { userSpeakerName: 'SARAH' } });
    assert.equal(again.body.data.cached, true);
    // No name means the main speaker (Alice), not whoever was asked for last.
    const main = await t.request('POST', `/api/v1/conversations/${id}/feedback`, { key: u.key, body: {} });
    assert.equal(main.body.data.userSpeakerName, 'Alice');
    assert.equal(main.body.data.cached, false);
    // A name that is no speaker resolves to the main speaker too: the cached answer.
    const unknown = await t.request('POST', `/api/v1/conversations/${id}/feedback`, { key: u.key, body: { userSpeakerName: 'Nobody' } });
    assert.equal(unknown.body.data.userSpeakerName, 'Alice');
    assert.equal(unknown.body.data.cached, true);
    assert.equal((await used(u.key)).used, spent + 1, 'only the new speaker cost a credit');

    const short = await createMeeting(u.key, { title: 'short', content: 'Alice: Hi\nBob: Hello\nAlice: Bye' });
    const before = (await used(u.key)).used;
    const bad = await t.request('POST', `/api/v1/conversations/${short}/feedback`, { key: u.key });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_error');
    assert.equal((await used(u.key)).used, before);
  });

  test('query: answers, suggestions, metadata; 500-character limit', async () => {
    const u = await t.user('professional');
    const id = await createMeeting(u.key);
    const r = await t.request('POST', `/api/v1/conversations/${id}/query`, { key: u.key, body: { query: 'What are the action items?' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.query, 'What are the action items?');
    assert.match(r.body.data.response, /roadmap|FAQ|release notes/i);
    assert.equal(r.body.data.metadata.segmentsAnalyzed, 12);
    assert.ok(r.body.data.suggestedQueries.length > 0);
    const long = await t.request('POST', `/api/v1/conversations/${id}/query`, { key: u.key, body: { query: 'x'.repeat(501) } });
    assert.equal(long.status, 400);
    assert.equal(long.body.error.code, 'validation_error');
    assert.ok(long.body.error.details.query);
    const missing = await t.request('POST', `/api/v1/conversations/${id}/query`, { key: u.key, body: {} });
    assert.equal(missing.status, 400);
  });

  test('email: three tones read differently; tone validated', async () => {
    const u = await t.user('enterprise');
    const id = await createMeeting(u.key);
    const bodies: Record<string, string> = {};
    for (const tone of ['professional', 'casual', 'concise']) {
      const r = await t.request('POST', `/api/v1/conversations/${id}/email`, { key: u.key, body: { recipientName: 'Dana', tone } });
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.data.subject.length > 0);
      assert.match(r.body.data.body, /Dana/);
      assert.ok(Array.isArray(r.body.data.keyPoints) && Array.isArray(r.body.data.actionItems));
      bodies[tone] = r.body.data.body;
    }
    assert.notEqual(bodies.professional, bodies.casual);
    assert.ok(bodies.concise.length < bodies.professional.length);
    const bad = await t.request('POST', `/api/v1/conversations/${id}/email`, { key: u.key, body: { tone: 'angry' } });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.details.tone);
    // Enterprise is unlimited: limit and remaining are null.
    const usage = await used(u.key);
    assert.equal(usage.limit, null);
    assert.equal(usage.remaining, null);
    assert.equal(usage.used, 3);
  });

  test('credits: starter gets 10 per month, then 429 ai_limit_exceeded; cached results stay free', async () => {
    const u = await t.user('starter');
    const id = await createMeeting(u.key);
    for (let i = 0; i < 10; i++) {
      const r = await t.request('POST', `/api/v1/conversations/${id}/query`, { key: u.key, body: { query: `Who owns item ${i}?` } });
      assert.equal(r.status, 200, r.text);
    }
    const over = await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key: u.key });
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'ai_limit_exceeded');
    assert.ok(Number(over.headers.get('retry-after')) > 0);
    const usage = await used(u.key);
    assert.deepEqual([usage.used, usage.limit, usage.remaining], [10, 10, 0]);
    assert.ok(new Date(usage.resetsAt).getUTCDate() === 1);
  });

  test('credits reset monthly', async () => {
    const u = await t.user('starter');
    const last = new Date();
    const prev = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - 1, 15)).toISOString().slice(0, 7);
    await t.container.db.insertInto('ai_usage').values({ user_id: u.userId, period: prev, used: 10 }).execute();
    assert.equal((await used(u.key)).used, 0);
  });

  test('a provider failure is 502 ai_provider_error and spends nothing', async () => {
    const u = await t.user('professional');
    const id = await createMeeting(u.key);
    failing = true;
    try {
      const r = await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key: u.key });
      assert.equal(r.status, 502);
      assert.equal(r.body.error.code, 'ai_provider_error');
      const q = await t.request('POST', `/api/v1/conversations/${id}/query`, { key: u.key, body: { query: 'What was decided?' } });
      assert.equal(q.status, 502);
    } finally {
      failing = false;
    }
    assert.equal((await used(u.key)).used, 0);
    assert.equal((await t.request('GET', `/api/v1/conversations/${id}/keypoints`, { key: u.key })).status, 404);
  });

  test("another user's conversation is 404 on every analysis endpoint", async () => {
    const owner = await t.user('professional');
    const other = await t.user('professional');
    const id = await createMeeting(owner.key);
    for (const [method, path, body] of [
      ['GET', 'keypoints'],
      ['POST', 'keypoints', {}],
      ['GET', 'feedback'],
      ['POST', 'feedback', {}],
      ['GET', 'insights'],
      ['POST', 'insights', {}],
      ['POST', 'query', { query: 'hi' }],
      ['POST', 'email', { tone: 'casual' }],
    ] as const) {
      const r = await t.request(method, `/api/v1/conversations/${id}/${path}`, { key: other.key, body });
      assert.equal(r.status, 404, `${method} ${path}`);
    }
    assert.equal((await used(other.key)).used, 0);
  });

  test('completing a chat generates insights in the background, free of charge', async () => {
    const stop = await startWorkers(t.container);
    try {
      const u = await t.user('starter');
      const created = await t.request('POST', '/api/v1/conversations', {
        key: u.key,
        body: { promptId: 'support', status: 'active', content: 'User: My train ticket to Cambridge was charged twice.\nAssistant: Sorry about that, let me check.' },
      });
      const id = created.body.data.id;
      const done = await t.request('POST', `/api/v1/conversations/${id}/messages`, {
        key: u.key,
        body: { messages: [{ role: 'assistant', content: 'I have refunded the duplicate charge; reference ABC123.' }, { role: 'user', content: 'Excellent! That is perfect. Thank you so much, you have been very helpful!' }], status: 'completed' },
      });
      assert.equal(done.status, 200, done.text);
      let insights;
      for (let i = 0; i < 100 && !insights; i++) {
        const r = await t.request('GET', `/api/v1/conversations/${id}/insights`, { key: u.key });
        if (r.status === 200) insights = r.body.data;
        else await new Promise((res) => setTimeout(res, 200));
      }
      assert.ok(insights, 'insights were not generated in time');
      assert.equal(insights.conversationId, id);
      assert.equal(insights.sentiment, 'positive');
      assert.equal(insights.taskCompleted, true);
      const conv = await t.request('GET', `/api/v1/conversations/${id}`, { key: u.key });
      assert.equal(conv.body.data.hasInsights, true);
      assert.equal(conv.body.data.insights.sentiment, 'positive');
      const list = await t.request('GET', '/api/v1/conversations?hasInsights=true', { key: u.key });
      assert.deepEqual(list.body.data.map((c: any) => c.id), [id]);
      assert.equal((await used(u.key)).used, 0);
      const jobs = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'insights.generate'`.execute(t.container.db);
      assert.ok(jobs.rows[0].n >= 1);
    } finally {
      await stop();
    }
  });
});
