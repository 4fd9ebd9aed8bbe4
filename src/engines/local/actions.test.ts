import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionItemSchema } from '../schemas.js';
import { actionConfidence, actionPriority, extractActionItems } from './actions.js';
import { assertEvidence } from './testing/assertions.js';
import { planningMeeting } from './testing/planning-meeting.js';
import { ownerNames } from './keypoints.js';
import { mentionedPeople } from './participants.js';
import { prepareTranscript } from './transcript.js';
import type { EngineConversation } from '../types.js';

function items(c: EngineConversation) {
  const t = prepareTranscript(c);
  return extractActionItems(t, ownerNames(t, mentionedPeople(t)));
}

test('"I\'ll send the roadmap by Friday" is owned by the speaker and due the Friday after the meeting', () => {
  const found = items(planningMeeting()).find((a) => /roadmap/i.test(a.item));
  assert.ok(found);
  assert.equal(found.owner, 'Bob');
  // The meeting starts on Wednesday 2026-03-18; that Friday is the 20th.
  assert.equal(found.dueDate, '2026-03-20');
  assert.equal(found.item, 'Send the updated roadmap by Friday');
  assert.ok(found.confidence >= 0.85, `explicit dated commitment is confident (${found.confidence})`);
});

test('"Carol will…" is owned by the person named', () => {
  const found = items(planningMeeting()).find((a) => /pricing announcement/i.test(a.item));
  assert.ok(found);
  assert.equal(found.owner, 'Carol');
  assert.equal(found.dueDate, null);
});

test('"can you …, Bob?" is owned by the person addressed', () => {
  const found = items(planningMeeting()).find((a) => /launch budget/i.test(a.item));
  assert.ok(found);
  assert.equal(found.owner, 'Bob');
  assert.equal(found.dueDate, '2026-03-23');
});

test('"we need to … at some point" has no owner, low priority and low confidence', () => {
  const found = items(planningMeeting()).find((a) => /onboarding emails/i.test(a.item));
  assert.ok(found);
  assert.equal(found.owner, null);
  assert.equal(found.priority, 'low');
  assert.ok(found.confidence < 0.5);
});

test('urgent wording makes an action item high priority and names a mentioned owner', () => {
  const found = items(planningMeeting()).find((a) => /invoice export/i.test(a.item));
  assert.ok(found);
  assert.equal(found.owner, 'Dave');
  assert.equal(found.priority, 'high');
});

test('agenda talk and meeting logistics are not action items', () => {
  const all = items(planningMeeting());
  assert.ok(!all.some((a) => /Q2 roadmap and the launch budget/.test(a.item)), 'the agenda is not a task');
  const meeting: EngineConversation = {
    id: 'x',
    title: null,
    kind: 'meeting',
    startTime: '2026-03-18T14:00:00Z',
    segments: ["I'll show you the agenda now.", "Let's move on to the next slide.", 'I think we should start.', "Let's review the launch plan for the pricing page."].map((text, index) => ({ index, text, speaker: index % 2 ? 'B' : 'A', timestamp: null })),
  };
  assert.deepEqual(items(meeting), []);
  const later = { ...meeting, segments: [{ index: 0, text: "Let's also send the invites to the partners tomorrow.", speaker: 'A', timestamp: null }] };
  assert.deepEqual(items(later).map((a) => [a.item, a.dueDate]), [['Send the invites to the partners tomorrow', '2026-03-19']]);
});

test('every action item validates and quotes its sentence', () => {
  const c = planningMeeting();
  const all = items(c);
  assert.equal(all.length, 6, `action items: ${JSON.stringify(all.map((a) => a.item))}`);
  for (const a of all) {
    actionItemSchema.parse(a);
    assertEvidence(c, a.evidence, a.item);
  }
});

test('confidence formula and priority rules', () => {
  assert.equal(actionConfidence({ committed: true, owner: true, due: true, actionVerb: true, hedged: false, unansweredRequest: false }), 0.9);
  assert.equal(actionConfidence({ committed: false, owner: false, due: false, actionVerb: true, hedged: false, unansweredRequest: false }), 0.4);
  assert.equal(actionConfidence({ committed: false, owner: false, due: false, actionVerb: false, hedged: true, unansweredRequest: true }), 0.1);
  const ref = new Date('2026-03-18T14:00:00Z');
  assert.equal(actionPriority('fix it asap', null, ref, false), 'high');
  assert.equal(actionPriority('send it', '2026-03-19', ref, false), 'high');
  assert.equal(actionPriority('send it', '2026-03-30', ref, false), 'medium');
  assert.equal(actionPriority('maybe look at it', null, ref, true), 'low');
});
