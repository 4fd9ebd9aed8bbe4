import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Segment } from '../types.js';
import { bm25, terms } from './retrieval.js';
import { meeting } from './testing/conversations.js';
import { chunkTranscript, durationMinutes, estimateTokens, transcriptLines, wallClock } from './transcript.js';

test('lines are numbered with Segment.index, speaker and UTC clock; untimed lines omit the clock', () => {
  const lines = transcriptLines([
    { index: 7, speaker: 'Ann\nLee', timestamp: '2025-03-03T09:05:00Z', text: 'Hello\nthere' },
    { index: 8, speaker: '', timestamp: null, text: 'Hi' },
  ]);
  assert.deepEqual(lines.map((l) => l.text), ['[7] Ann Lee (09:05): Hello there', '[8] Speaker: Hi']);
  assert.equal(wallClock('nonsense'), null);
});

test('chunks fit the budget, overlap by a line, and cover every segment in order', () => {
  const c = meeting(200);
  const chunks = chunkTranscript(c.segments, 400);
  assert.ok(chunks.length > 5);
  for (const ch of chunks) assert.ok(ch.tokens <= 400, `chunk ${ch.id} has ${ch.tokens} tokens`);
  const seen = new Set(chunks.flatMap((ch) => ch.positions));
  assert.equal(seen.size, 200);
  for (let k = 1; k < chunks.length; k++) {
    assert.ok(chunks[k].positions[0] <= chunks[k - 1].positions.at(-1)!, 'overlap with the previous chunk');
    assert.ok(chunks[k].positions.at(-1)! > chunks[k - 1].positions.at(-1)!, 'progress');
  }
});

test('a segment longer than a chunk is split into parts, none dropped', () => {
  const long = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
  const segs: Segment[] = [
    { index: 0, speaker: 'A', timestamp: null, text: 'Short opening.' },
    { index: 1, speaker: 'B', timestamp: null, text: long },
    { index: 2, speaker: 'A', timestamp: null, text: 'Short close.' },
  ];
  const chunks = chunkTranscript(segs, 300);
  const parts = chunks.flatMap((ch) => ch.lines).filter((l) => l.pos === 1);
  assert.ok(parts.length > 5);
  assert.match(parts[0].text, /^\[1\] B \(part 1\/\d+\): word0 /);
  const shown = new Set(parts.flatMap((p) => p.text.replace(/^[^:]*: /, '').split(' ')));
  for (let i = 0; i < 3000; i++) assert.ok(shown.has(`word${i}`), `word${i} shown`);
  for (const ch of chunks) assert.ok(ch.tokens <= 300);
});

test('property: any transcript and budget yields chunks within budget covering every segment', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ minLength: 0, maxLength: 600 }), { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 60, max: 800 }),
      (texts, budget) => {
        const segs: Segment[] = texts.map((text, index) => ({ index, speaker: `S${index % 3}`, timestamp: null, text }));
        const chunks = chunkTranscript(segs, budget);
        const seen = new Set(chunks.flatMap((ch) => ch.positions));
        assert.equal(seen.size, segs.length);
        for (const ch of chunks) assert.ok(ch.tokens <= budget, `${ch.tokens} > ${budget}`);
      },
    ),
    { numRuns: 150 },
  );
});

test('estimateTokens is about four characters a token', () => {
  assert.equal(estimateTokens('abcd'.repeat(10)), 10);
});

test('duration spans the timestamps plus the last turn', () => {
  assert.equal(durationMinutes(meeting(1).segments), null);
  const d = durationMinutes(meeting(31).segments)!;
  assert.ok(d >= 10 && d < 10.2, String(d));
});

test('BM25 ranks the chunk that mentions the query terms first', () => {
  const docs = ['we talked about the budget and hiring', 'the penguin mascot costs money', 'lunch plans and the budget'].map(terms);
  const scores = bm25(docs, terms('How much do penguins cost?'));
  assert.ok(scores[1] > 0);
  assert.equal(scores[0], 0);
  assert.equal(scores[2], 0);
  assert.deepEqual(bm25(docs, terms('what was it about')), [0, 0, 0]);
});
