import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineConversation } from '../types.js';
import { extractDecisions } from './decisions.js';
import { assertEvidence } from './testing/assertions.js';
import { planningMeeting } from './testing/planning-meeting.js';
import { prepareTranscript } from './transcript.js';

const meeting = (lines: string[]): EngineConversation => ({
  id: 'd',
  title: null,
  kind: 'meeting',
  startTime: null,
  segments: lines.map((text, index) => ({ index, text, speaker: index % 2 ? 'Sam' : 'Kim', timestamp: null })),
});

test('decisions are found with their content and evidence', () => {
  const c = planningMeeting();
  const d = extractDecisions(prepareTranscript(c));
  assert.deepEqual(
    d.map((x) => x.text),
    ['Launch a discounted annual starter plan in April', 'Go with a fifteen percent discount'],
  );
  for (const x of d) assertEvidence(c, x.evidence, x.text);
});

test('decision phrasings: agreed, the decision is, we\'ll go with', () => {
  const d = extractDecisions(
    prepareTranscript(
      meeting([
        'After a long debate we agreed to move the release to the second week of May.',
        'The decision is that the mobile app stays free for students.',
        "Okay, we'll go with the blue logo for the conference banner.",
      ]),
    ),
  ).map((x) => x.text);
  assert.deepEqual(d, ['Move the release to the second week of May', 'The mobile app stays free for students', 'Go with the blue logo for the conference banner']);
});

test('questions, hypotheticals and earlier decisions are not decisions', () => {
  const d = extractDecisions(
    prepareTranscript(
      meeting([
        'Should we go with the blue logo for the banner?',
        "If we decided to move the release, marketing would need a new date.",
        'We decided last month to keep prices flat for everyone.',
        "We haven't decided on the venue yet.",
      ]),
    ),
  );
  assert.deepEqual(d, []);
});
