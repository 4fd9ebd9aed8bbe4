// Through the API: chats get chat measures and meetings meeting measures, in insights and
// feedback; talk time per speaker comes with the transcript and costs no AI credit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';

const MEETING_ONLY = ['interruptions', 'questionsAsked', 'longestMonologueSeconds', 'longestMonologueWords', 'fillerRate', 'wordsPerMinute', 'talkTimeline'];

// A chat posted without timestamps: the server stamps every message with one time.
const chatMessages = [
  ['user', 'hi my invoice shows the wrong company name and'],
  ['assistant', 'Hello! I can help with that. Which invoice number is it'],
  ['user', 'INV-2231 from april, it says Northwind instead of'],
  ['assistant', 'Thanks. I can see it. What should the company name be'],
  ['user', 'Fabrikam Ltd, we renamed in march'],
  ['assistant', 'I have submitted the name change for review; billing will reissue the invoice within 5-10 business days'],
  ['user', 'ok, and the reference number?'],
  ['assistant', 'Your reference number is BR-5521'],
  ['user', 'fine. so nothing changes today then'],
  ['assistant', 'The review team will contact you within 5-10 business days'],
  ['user', 'ok thanks'],
].map(([role, content]) => ({ role, content }));

// A timed meeting: 20 s per segment, Ann speaks 4 of 6 segments.
const START = Date.parse('2026-03-16T14:00:00.000Z');
const meetingSegments = [
  ['Ann', 'Welcome everyone, today we review the onboarding redesign.'],
  ['Ben', 'The new flow cut the signup steps from seven to four.'],
  ['Ann', 'That is a big improvement. What did the usability tests show?'],
  ['Ben', 'Most testers finished without help, but the address form confused two of them.'],
  ['Ann', "Let's simplify the address form before the release."],
  ['Ann', "I'll ask design for a new version by Thursday."],
].map(([speaker, text], i) => ({ speaker, text, timestamp: new Date(START + i * 20000).toISOString() }));

describe(`analyses fit the kind of conversation (${dbLabel})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  async function create(key: string, body: Record<string, unknown>) {
    const r = await t.request('POST', '/api/v1/conversations', { key, body });
    assert.equal(r.status, 200, r.text);
    return r.body.data.id as string;
  }

  test('a chat: chat measures, no meeting metric, a pending request not completed', async () => {
    const u = await t.user('professional');
    const id = await create(u.key, { kind: 'chat', status: 'active', messages: chatMessages });
    const ins = await t.request('POST', `/api/v1/conversations/${id}/insights`, { key: u.key, body: {} });
    assert.equal(ins.status, 200, ins.text);
    const d = ins.body.data;
    assert.equal(d.taskCompleted, false, JSON.stringify(d.taskSignals));
    assert.ok(d.issues.some((i: any) => i.type === 'unresolved_request' && /pending/.test(i.description)));
    assert.equal(d.measures.kind, 'chat');
    assert.equal(d.measures.medianResponseSeconds, null, 'one shared timestamp has no reply times');
    assert.equal(d.measures.escalated, true, 'submitted for review');
    assert.equal(d.measures.resolved, false);
    for (const k of ['speakers', 'interruptions', 'questions', 'longestMonologueSeconds']) assert.ok(!(k in d.measures), k);

    const fb = await t.request('POST', `/api/v1/conversations/${id}/feedback`, { key: u.key, body: {} });
    assert.equal(fb.status, 200, fb.text);
    const m = fb.body.data.feedback.metrics;
    assert.equal(m.kind, 'chat');
    for (const k of MEETING_ONLY) assert.ok(!(k in m), `no ${k} on a chat`);
    assert.ok(!/finish your thought/i.test(JSON.stringify(fb.body.data.feedback)));
    assert.ok(fb.body.data.feedback.growthAreas.length >= 1);

    const tr = await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key: u.key });
    assert.equal(tr.status, 200);
    const speakers = tr.body.data.speakers;
    assert.deepEqual(speakers.map((s: any) => s.segments), [6, 5]);
    assert.ok(speakers.every((s: any) => s.talkTimeSeconds === null), 'typed messages have no talk time');
  });

  test('a meeting: meeting measures, no chat metric, no task outcome; talk time per speaker for free', async () => {
    const u = await t.user('starter');
    const id = await create(u.key, { kind: 'meeting', title: 'Onboarding review', segments: meetingSegments });
    const tr = await t.request('GET', `/api/v1/conversations/${id}/transcript`, { key: u.key });
    assert.equal(tr.status, 200, tr.text);
    const [ann, ben] = tr.body.data.speakers;
    assert.equal(ann.name, 'Ann');
    assert.equal(ann.segments, 4);
    assert.equal(ben.segments, 2);
    // Each segment runs 20 s to the next one, capped at twice what its words need; the last runs its words' time.
    assert.ok(ann.talkTimeSeconds > ben.talkTimeSeconds && ben.talkTimeSeconds > 0, JSON.stringify(tr.body.data.speakers));
    assert.equal(Math.round((ann.share + ben.share) * 100), 100);
    const profile = await t.request('GET', '/api/v1/user/profile', { key: u.key });
    assert.equal(profile.body.data.apiUsage.aiGenerations.used, 0, 'reading talk time spends no credit');

    const ins = await t.request('POST', `/api/v1/conversations/${id}/insights`, { key: u.key, body: {} });
    assert.equal(ins.status, 200, ins.text);
    const d = ins.body.data;
    assert.equal(d.taskCompleted, null);
    assert.equal(d.measures.kind, 'meeting');
    assert.equal(d.measures.speakers.length, 2);
    for (const k of ['userTurns', 'assistantTurns', 'medianResponseSeconds', 'resolved', 'escalated']) assert.ok(!(k in d.measures), k);
  });
});
