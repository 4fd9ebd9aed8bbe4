// The dashboard's pure helpers for speakers and transcript times (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { speakerColors, speakerStyles } from '../../web/src/format.js';
import { baseTimeMs, parseElapsed, talkTimes } from '../../web/src/components/transcript-math.js';

function contrastOnWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

test('every speaker of a 71-speaker committee looks different, and every colour reads on white', () => {
  const names = Array.from({ length: 71 }, (_, i) => `Member ${i + 1}`);
  const style = speakerStyles(names);
  const looks = names.map((n) => `${style(n).color}/${style(n).pattern}`);
  assert.equal(new Set(looks).size, 71);
  for (const n of names) assert.ok(contrastOnWhite(style(n).color) >= 4.5, `${n}: ${style(n).color}`);
  // 13 speakers: no two share a colour (the old palette repeated after 9).
  const thirteen = names.slice(0, 13);
  assert.equal(new Set(thirteen.map(speakerColors(thirteen))).size, 13);
});

test('styles depend only on the set of names, not their order', () => {
  const a = speakerStyles(['Ann', 'Bob', 'Cy']);
  const b = speakerStyles(['Cy', 'Ann', 'Bob', 'Ann']);
  for (const n of ['Ann', 'Bob', 'Cy']) assert.deepEqual(a(n), b(n));
});

test('"go to" times: minutes, m:ss and h:mm:ss; anything else is refused', () => {
  assert.equal(parseElapsed('12'), 720);
  assert.equal(parseElapsed('12:30'), 750);
  assert.equal(parseElapsed(' 1:05:00 '), 3900);
  for (const bad of ['', 'soon', '1:75', '-3', '1:2:3:4']) assert.equal(parseElapsed(bad), null, bad);
});

test('talk time: a turn lasts until the next one starts; without timestamps words stand in', () => {
  const t0 = Date.parse('2026-03-18T14:00:00Z');
  const segs = [
    { index: 0, speaker: 'A', text: 'one two three four five', timestamp: null },
    { index: 1, speaker: 'B', text: 'six', timestamp: null },
    { index: 2, speaker: 'A', text: 'seven eight nine ten eleven', timestamp: null },
  ];
  const timed = talkTimes(segs, [t0, t0 + 30_000, t0 + 40_000]);
  assert.equal(timed.timed, true);
  assert.equal(timed.bySpeaker.get('A'), 30 + 5 / 2.5);
  assert.equal(timed.bySpeaker.get('B'), 10);
  const untimed = talkTimes(segs, [NaN, NaN, NaN]);
  assert.equal(untimed.timed, false);
  assert.equal(untimed.bySpeaker.get('A'), 10);
  assert.equal(untimed.bySpeaker.get('B'), 1);
  // The start is the reference unless the transcript begins before it.
  assert.equal(baseTimeMs([t0 + 5000], t0), t0);
  assert.equal(baseTimeMs([t0 - 5000], t0), t0 - 5000);
  assert.equal(baseTimeMs([NaN], NaN), null);
});
