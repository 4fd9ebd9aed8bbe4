import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapBounded, planChunks, stitch } from './chunks.js';

test('a recording within one chunk is not split', () => {
  assert.deepEqual(planChunks(50, [], 60), [{ start: 0, end: 50, from: 0, to: 50 }]);
});

test('cuts fall in the middle of the longest silence near each ideal point, and chunks overlap', () => {
  // maxSec 20, overlap 1 → a cut every ~18 s, moved into a silence within the 3.6 s before.
  const silences: Array<[number, number]> = [[15.0, 15.4], [16.0, 17.0], [33.0, 33.2], [35.5, 35.9]];
  const chunks = planChunks(50, silences, 20);
  assert.deepEqual(chunks.map((c) => c.from), [0, 16.5, 33.1]);
  for (const [i, c] of chunks.entries()) {
    assert.ok(c.end - c.start <= 20, `chunk ${i} is ${c.end - c.start} s`);
    if (i > 0) assert.equal(c.start, c.from - 1);
    if (i < chunks.length - 1) assert.equal(c.end, c.to + 1);
  }
  assert.equal(chunks.at(-1)!.to, 50);
});

test('without silences the cuts are at the ideal points and still cover everything', () => {
  const chunks = planChunks(100, [], 12);
  assert.equal(chunks[0]!.from, 0);
  assert.equal(chunks.at(-1)!.to, 100);
  for (let i = 1; i < chunks.length; i++) assert.equal(chunks[i]!.from, chunks[i - 1]!.to);
  assert.ok(chunks.every((c) => c.end - c.start <= 12));
});

test('stitching keeps each word once, from the chunk owning its midpoint, on the recording clock', () => {
  const chunks = [
    { start: 0, end: 11, from: 0, to: 10 },
    { start: 9, end: 20, from: 10, to: 20 },
  ];
  const w = (text: string, startSec: number, endSec: number) => ({ text, startSec, endSec, speaker: null });
  // "c" (9.2–9.6) is heard by both chunks; "d" (10.3–10.8) too.
  const first = [w('a', 1, 2), w('b', 5, 6), w('c', 9.2, 9.6), w('d', 10.3, 10.8)];
  const second = [w('c', 0.2, 0.6), w('d', 1.3, 1.8), w('e', 5, 6)];
  const out = stitch(chunks, [first, second]);
  assert.deepEqual(out.map((s) => s.text), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(out.map((s) => s.startSec), [1, 5, 9.2, 10.3, 14]);
});

test('mapBounded keeps order, honours the bound and stops at the first failure', async () => {
  let running = 0;
  let most = 0;
  const out = await mapBounded([1, 2, 3, 4, 5], 2, async (n) => {
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 5 * (6 - n)));
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [10, 20, 30, 40, 50]);
  assert.equal(most, 2);
  const started: number[] = [];
  await assert.rejects(
    mapBounded([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
      return n;
    }),
    /boom/,
  );
  assert.deepEqual(started, [1, 2]);
});
