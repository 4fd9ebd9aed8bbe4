import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isHeadingWorthy, rankPhrases, sectionHeading, withoutSpeakerLabels, type RankedPhrase } from './keyphrases.js';
import { prepareTranscript } from './transcript.js';

function phrase(text: string, score: number, count: number, sentences: number[]): RankedPhrase {
  return { text, key: text, score, count, sentences, properNoun: false };
}

test('a lone filler, sound or calendar word is never a heading', () => {
  for (const w of ['clap', 'laughter', 'um', 'minutes', 'june', 'okay']) assert.equal(isHeadingWorthy({ text: w }), false, w);
  assert.equal(isHeadingWorthy({ text: 'designers' }), true);
  assert.equal(isHeadingWorthy({ text: 'release date' }), true);
  const heading = sectionHeading([phrase('clap', 50, 6, [0, 1, 2]), phrase('remote control', 5, 2, [1])], [1]);
  assert.equal(heading, 'Remote Control');
});

test('headings prefer multi-word phrases that cover the section points', () => {
  const ranked = [phrase('mocks', 10, 3, [0, 4, 5]), phrase('designers', 9, 3, [4, 5]), phrase('staging freeze', 6, 2, [1, 2]), phrase('roadmap review', 5, 2, [2])];
  // The points are sentences 1 and 2: "staging freeze" covers both.
  assert.equal(sectionHeading(ranked, [1, 2]), 'Staging Freeze');
});

test('with no usable phrase, the heading is a noun phrase from the top point', () => {
  const t = prepareTranscript({
    id: 'h',
    title: null,
    kind: 'meeting',
    startTime: null,
    segments: [{ index: 0, text: 'The quarterly budget review needs more detail.', speaker: 'A', timestamp: null }],
  });
  const heading = sectionHeading([phrase('laughter', 3, 1, [9])], [0], { pointSentences: t.sentences });
  assert.match(heading, /Quarterly Budget Review|Budget Review/);
  assert.ok(rankPhrases(t.sentences).length > 0);
});

test('a heading names the topic, not who talked about it', () => {
  const ranked = [phrase('marketing expert', 40, 3, [0]), phrase('project manager', 30, 4, [1]), phrase('marketing budget', 10, 2, [2])];
  const kept = withoutSpeakerLabels(ranked, ['Marketing', 'Project Manager', 'Industrial Designer']);
  assert.deepEqual(kept.map((p) => p.text), ['marketing budget']);
  assert.equal(sectionHeading(kept, [2]), 'Marketing Budget');
});

test('a heading never carries a day or time', () => {
  assert.equal(isHeadingWorthy({ text: 'regression friday afternoon' }), false);
  assert.equal(isHeadingWorthy({ text: 'verbal wednesday' }), false);
  assert.equal(isHeadingWorthy({ text: 'release calendar' }), true);
});
