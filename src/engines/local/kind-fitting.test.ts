// Analyses fit the kind of conversation: chat measures for chats, meeting measures for meetings,
// and timestamps that carry no timing (one shared stamp) never turn into durations or overlaps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedbackResultSchema, insightsSchema } from '../schemas.js';
import type { EngineConversation } from '../types.js';
import { createLocalEngine } from './engine.js';
import { computeMetrics } from './feedback-metrics.js';
import { coachingTranscript } from './testing/conversations.js';
import { responseTimes, usableTimestamps } from '../../domain/transcripts/timing.js';
import { prepareTranscript } from './transcript.js';

const engine = createLocalEngine();
const MEETING_ONLY = ['interruptions', 'questionsAsked', 'longestMonologueSeconds', 'longestMonologueWords', 'fillerRate', 'wordsPerMinute', 'talkTimeline'];
const CHAT_ONLY = ['turns', 'medianResponseSeconds'];
const SHARED = '2026-05-04T10:00:00.000Z';

/** A support chat pasted as a log: every message has the same timestamp, none ends with punctuation. */
function pastedChat(): EngineConversation {
  const turns: Array<['user' | 'assistant', string]> = [
    ['user', 'hi my invoice shows the wrong company name and'],
    ['assistant', 'Hello! I can help with that. Which invoice number is it'],
    ['user', 'INV-2231 from april, it says Northwind instead of'],
    ['assistant', 'Thanks. I can see it. What should the company name be'],
    ['user', 'Fabrikam Ltd, we renamed in march'],
    ['assistant', 'I have updated the billing name to Fabrikam Ltd and reissued INV-2231'],
    ['user', 'great, will the old one still be valid or'],
    ['assistant', 'The old invoice is void now; the reissued one replaces it'],
    ['user', 'ok and can you send it to accounts@fabrikam.example'],
    ['assistant', 'Done, the reissued invoice has been sent to accounts@fabrikam.example'],
    ['user', 'perfect thanks a lot'],
    ['assistant', 'You are welcome, have a good day'],
  ];
  return { id: 'sess_pasted', title: null, kind: 'chat', startTime: SHARED, segments: turns.map(([role, text], index) => ({ index, role, speaker: role, text, timestamp: SHARED })) };
}

test('timestamps shared by every message are not timing', () => {
  const c = pastedChat();
  assert.equal(usableTimestamps(c.segments), false);
  assert.deepEqual(responseTimes(c.segments, (i) => c.segments[i].role === 'user'), []);
  assert.equal(usableTimestamps(coachingTranscript().segments), true);
  assert.equal(usableTimestamps(coachingTranscript(false).segments), false);
});

test('a meeting whose segments share one timestamp gets no overlaps or durations from it', () => {
  const c = coachingTranscript();
  const same = { ...c, segments: c.segments.map((s) => ({ ...s, timestamp: SHARED })) };
  const m = computeMetrics(prepareTranscript(same), 'Dana');
  // The two cut-off turns are still interruptions (read from the text); none comes from the stamps.
  assert.deepEqual(m.interruptionSegs, [2, 6]);
  assert.equal(m.longestMonologueSeconds, null);
  assert.equal(m.wordsPerMinute, null);
  assert.equal(computeMetrics(prepareTranscript(c), 'Dana').longestMonologueSeconds !== null, true);
});

test('feedback on a chat has chat measures only: no interruptions, monologues or "finish your thought"', async () => {
  const f = await engine.feedback(pastedChat(), {});
  feedbackResultSchema.parse(f);
  assert.equal(f.metrics.kind, 'chat');
  for (const k of MEETING_ONLY) assert.ok(!(k in f.metrics), `no ${k} on a chat`);
  assert.equal(f.metrics.medianResponseSeconds, null);
  assert.ok(f.metrics.turns! > 0);
  const text = JSON.stringify([f.topPriority, f.growthAreas, f.strengths]);
  assert.ok(!/finish your thought|interrupt|monologue|seconds/i.test(text), text);
});

test('feedback on a meeting has meeting measures only', async () => {
  const f = await engine.feedback(coachingTranscript(), { userSpeakerName: 'Dana' });
  assert.equal(f.metrics.kind, 'meeting');
  for (const k of CHAT_ONLY) assert.ok(!(k in f.metrics), `no ${k} on a meeting`);
  for (const k of MEETING_ONLY) assert.ok(k in f.metrics, `${k} on a meeting`);
});

test('insights measures: chat measures for a chat, meeting measures for a meeting', async () => {
  const chat = await engine.insights(pastedChat());
  insightsSchema.parse(chat);
  assert.equal(chat.measures?.kind, 'chat');
  assert.ok(chat.measures && chat.measures.kind === 'chat');
  assert.equal(chat.measures.userTurns, 6);
  assert.equal(chat.measures.assistantTurns, 6);
  assert.equal(chat.measures.medianResponseSeconds, null, 'one shared timestamp has no reply times');
  assert.equal(chat.measures.resolved, chat.taskCompleted);
  assert.equal(chat.measures.escalated, false);
  for (const k of ['speakers', 'interruptions', 'questions', 'longestMonologueWords', 'longestMonologueSeconds']) assert.ok(!(k in chat.measures), k);

  const meeting = await engine.insights(coachingTranscript());
  assert.ok(meeting.measures && meeting.measures.kind === 'meeting');
  assert.ok(meeting.measures.interruptions >= 2);
  assert.equal(meeting.measures.speakers.length, 3);
  for (const k of ['userTurns', 'assistantTurns', 'medianResponseSeconds', 'resolved', 'escalated']) assert.ok(!(k in meeting.measures), k);
  // A meeting has no requester whose task could be judged.
  assert.equal(meeting.taskCompleted, null);
  assert.deepEqual(meeting.taskSignals, []);
});

test('chat reply times come from real timestamps', async () => {
  const c = pastedChat();
  const base = Date.parse(SHARED);
  // Each message 30 s after the previous one: every reply takes 30 s.
  const timed = { ...c, segments: c.segments.map((s, i) => ({ ...s, timestamp: new Date(base + i * 30000).toISOString() })) };
  const r = await engine.insights(timed);
  assert.ok(r.measures && r.measures.kind === 'chat');
  assert.equal(r.measures.medianResponseSeconds, 30);
  assert.equal(r.measures.longestResponseSeconds, 30);
});

test('a design meeting that mentions the weather and a payment gets topics from the meeting, not service domains', async () => {
  const lines = [
    'Let us talk about the remote control design today. Lovely weather for it, too.',
    'The remote control should have a rubber case and large buttons.',
    'Large buttons help older users. The forecast says rain, so the rubber case should survive drops and damp.',
    'Anyway, the battery.',
    'A kinetic battery would make the remote control more expensive. The payment for the prototype goes out next week.',
    'Back to the buttons then.',
    'I put a calendar reminder in for the review. The rubber case and the large buttons are the core of the design.',
    'Agreed, the remote control design needs the rubber case.',
  ];
  const c: EngineConversation = { id: 'm', title: null, kind: 'meeting', startTime: null, segments: lines.map((text, index) => ({ index, text, speaker: ['Ann', 'Ben'][index % 2], timestamp: null })) };
  const r = await engine.insights(c);
  for (const domain of ['weather', 'payments', 'calendar', 'homes', 'attraction']) assert.ok(!r.topics.includes(domain), `${domain} in ${r.topics}`);
  assert.ok(r.topics.some((x) => /remote control|rubber case|buttons/.test(x)), `${r.topics}`);
});

/** A facilitator with nothing wrong in absolute terms: short sentences, questions, invitations, decisions. */
function polishedMeeting(): EngineConversation {
  const lines: Array<[string, string]> = [
    ['Mia', "Let's decide the launch date today. What do you think, Raj?"],
    ['Raj', 'I would pick the second week of June, because the app store review takes about ten days and we want a buffer for fixes.'],
    ['Mia', 'Good point. Lena, does that work for support?'],
    ['Lena', 'It works if the help articles are finished by the end of May, which means the writers need the final screens soon.'],
    ['Mia', "Agreed. We'll go with June 10. Raj, can you share the final screens by Friday?"],
    ['Raj', 'Yes, I will send them on Friday morning after the design review with the team.'],
    ['Mia', 'Thanks. Lena, what would you need from us next?'],
    ['Lena', 'A short list of the changed features, so the support team can prepare answers for the common questions.'],
    ['Mia', "I'll write that list by Wednesday. Any other questions?"],
    ['Raj', 'None from me, the plan is clear and the dates look realistic for the whole team.'],
    ['Lena', 'Same here, thank you for keeping this short and focused today.'],
    ['Mia', 'Great. The decision is June 10, screens Friday, feature list Wednesday.'],
  ];
  return { id: 'sess_polished', title: 'Launch date', kind: 'meeting', startTime: null, segments: lines.map(([speaker, text], index) => ({ index, speaker, text, timestamp: null })) };
}

test('feedback always names a growth area, relative to the conversation when nothing is wrong outright, and a real rewrite', async () => {
  for (const c of [polishedMeeting(), pastedChat(), coachingTranscript()]) {
    const f = await engine.feedback(c, {});
    assert.ok(f.growthAreas.length >= 1, `${c.id}: no growth area`);
    const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    assert.ok(f.topPriority.alternative.length > 0, `${c.id}: empty alternative`);
    assert.notEqual(norm(f.topPriority.alternative), norm(f.topPriority.quote), `${c.id}: the alternative repeats the quote`);
  }
  const f = await engine.feedback(polishedMeeting(), { userSpeakerName: 'Mia' });
  assert.match(f.growthAreas[0].description, /this conversation's norm/);
});
