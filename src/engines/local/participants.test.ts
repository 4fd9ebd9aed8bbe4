import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planningMeeting } from './testing/planning-meeting.js';
import { mentionedPeople, participants } from './participants.js';
import { canonicalSpeaker, prepareTranscript } from './transcript.js';

test('participants are the speakers plus people named in the conversation', () => {
  const t = prepareTranscript(planningMeeting());
  assert.deepEqual(participants(t, mentionedPeople(t)), ['Alice', 'Bob', 'Carol', 'Dave']);
});

test('capitalised non-names are not people', () => {
  const t = prepareTranscript({
    id: 'p',
    title: null,
    kind: 'meeting',
    startTime: null,
    segments: [
      { index: 0, speaker: 'Kim', timestamp: null, text: 'Revenue in Q2 grew, and the Board met in London with Microsoft on Monday.' },
      { index: 1, speaker: 'Lee', timestamp: null, text: 'Great. I spoke to Priya Sharma about the Analytics Dashboard.' },
    ],
  });
  assert.deepEqual(mentionedPeople(t), ['Priya Sharma']);
});

test('speaker labels with a parenthetical role are one person', () => {
  assert.equal(canonicalSpeaker('Jane Doe (Prime Minister)'), 'Jane Doe');
  assert.equal(canonicalSpeaker('Jane Doe'), 'Jane Doe');
});
