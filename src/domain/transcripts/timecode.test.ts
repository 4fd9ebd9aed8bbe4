import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTimecode, parseOffset, parseTimecode, parseTimingLine } from './timecode.js';
import { toIsoTimestamps } from './timestamps.js';
import { AppError } from '../errors.js';

test('parseTimecode: WebVTT, SRT and short forms', () => {
  assert.equal(parseTimecode('00:00:01.000'), 1000);
  assert.equal(parseTimecode('01:02:03.456'), 3_723_456);
  assert.equal(parseTimecode('02:03.456'), 123_456);
  assert.equal(parseTimecode('00:00:01,250'), 1250);
  assert.equal(parseTimecode('1:02:03'), 3_723_000);
  assert.equal(parseTimecode('0:03'), 3000);
  assert.equal(parseTimecode('00:00:01.5'), 1500);
  assert.equal(parseTimecode('00:00:01.123456'), 1123);
  assert.equal(parseTimecode('100:00:00.000'), 360_000_000);
});

test('parseTimecode rejects nonsense', () => {
  for (const bad of ['', 'abc', '00:60:00.000', '00:00:60.000', '1.5', '00:00:01.', '-00:00:01.000', '00:00:01.000 x']) {
    assert.equal(parseTimecode(bad), null, bad);
  }
});

test('parseOffset: seconds, numeric strings and timecodes', () => {
  assert.equal(parseOffset(83.5), 83_500);
  assert.equal(parseOffset('83.5'), 83_500);
  assert.equal(parseOffset('12s'), 12_000);
  assert.equal(parseOffset('00:01:23.500'), 83_500);
  assert.equal(parseOffset(-1), null);
  assert.equal(parseOffset(Number.NaN), null);
  assert.equal(parseOffset('soon'), null);
  assert.equal(parseOffset(null), null);
});

test('parseTimingLine: settings, swapped ends, broken starts', () => {
  assert.deepEqual(parseTimingLine('00:00:01.000 --> 00:00:04.000 align:start position:0%'), {
    startMs: 1000,
    endMs: 4000,
    settings: 'align:start position:0%',
  });
  assert.deepEqual(parseTimingLine('00:05.000 --> 00:02.000'), { startMs: 5000, endMs: null, settings: '' });
  assert.equal(parseTimingLine('00:00:0 --> 00:00:04.000'), null);
  assert.equal(parseTimingLine('-->'), null);
});

test('formatTimecode round-trips', () => {
  assert.equal(formatTimecode(3_723_456), '01:02:03.456');
  assert.equal(parseTimecode(formatTimecode(98_765)), 98_765);
});

test('toIsoTimestamps adds offsets to the start time; no offset means null', () => {
  const start = new Date('2024-05-14T09:30:00.000Z');
  const stamped = toIsoTimestamps(
    [
      { speaker: 'A', text: 'a', startMs: 0, endMs: 1000 },
      { speaker: 'B', text: 'b', startMs: 83_500, endMs: null },
      { speaker: 'C', text: 'c', startMs: null, endMs: null },
    ],
    start,
  );
  assert.deepEqual(
    stamped.map((s) => [s.speaker, s.timestamp]),
    [
      ['A', '2024-05-14T09:30:00.000Z'],
      ['B', '2024-05-14T09:31:23.500Z'],
      ['C', null],
    ],
  );
  assert.equal(stamped[0]!.endMs, 1000, 'other fields are kept');
});

test('toIsoTimestamps rejects an invalid start date and survives absurd offsets', () => {
  assert.throws(
    () => toIsoTimestamps([{ startMs: 0 }], new Date('not a date')),
    (error: unknown) => error instanceof AppError && error.code === 'validation_error' && error.details?.startTime !== undefined,
  );
  assert.deepEqual(toIsoTimestamps([{ startMs: 9e15 }], new Date(0)), [{ startMs: 9e15, timestamp: null }]);
});
