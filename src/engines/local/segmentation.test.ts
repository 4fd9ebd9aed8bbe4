import assert from 'node:assert/strict';
import { test } from 'node:test';
import { threeTopicMeeting } from './testing/conversations.js';
import { segmentTopics, targetSectionCount } from './segmentation.js';
import { prepareTranscript } from './transcript.js';

test('boundaries fall at the topic changes', () => {
  const c = threeTopicMeeting();
  const t = prepareTranscript(c);
  const sections = segmentTopics(t, { maxSections: 3 });
  assert.equal(sections.length, 3);
  // Each topic is 48 one-sentence segments; boundaries may move by a few sentences, no more.
  const starts = sections.slice(1).map((s) => t.sentences[s.start].seg);
  assert.ok(Math.abs(starts[0] - 48) <= 4, `first boundary at segment ${starts[0]}`);
  assert.ok(Math.abs(starts[1] - 96) <= 4, `second boundary at segment ${starts[1]}`);
  assert.equal(sections[0].start, 0);
  assert.equal(sections[2].end, t.sentences.length);
});

test('short conversations are one section; long ones get more, capped at six', () => {
  assert.equal(targetSectionCount(80), 1);
  assert.equal(targetSectionCount(2800), 5);
  assert.equal(targetSectionCount(40000), 6);
  const t = prepareTranscript({ id: 's', title: null, kind: 'chat', startTime: null, segments: [{ index: 0, text: 'Hello there. How are you?', speaker: 'user', timestamp: null }] });
  assert.deepEqual(segmentTopics(t), [{ start: 0, end: 2 }]);
});
