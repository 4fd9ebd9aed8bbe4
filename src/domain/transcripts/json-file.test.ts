import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AppError } from '../errors.js';
import { parseTranscriptFile } from './detect.js';
import { parseJsonTranscript } from './json-file.js';
import type { TranscriptSegment } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/transcripts/${name}`, import.meta.url));
const rows = (segments: TranscriptSegment[]) => segments.map((s) => [s.speaker, s.text, s.startMs, s.endMs]);

test('JSON segments file: title, speakers, seconds to ms', () => {
  const parsed = parseTranscriptFile({ filename: 'discovery-call.json', contentType: 'application/json', data: fixture('discovery-call.json') });
  assert.equal(parsed.format, 'json');
  assert.equal(parsed.title, 'Discovery call — Northwind Support');
  assert.equal(parsed.startTime, undefined);
  assert.deepEqual(parsed.warnings, []);
  assert.deepEqual(rows(parsed.segments), [
    ['Olivia Grant', "Thanks for taking the call, Daniel. I'd love to start by hearing how your team handles support today.", 500, 6800],
    ['Daniel Cho', "Sure. We're about fifteen agents, mostly in Toronto, and everything runs through a shared inbox right now.", 7200, 14100],
    ['Daniel Cho', 'It worked when we were small, but tickets fall through the cracks on weekends.', 14100, 19350],
    ['Olivia Grant', 'How many tickets a week are we talking about?', 20000, 22900],
    ['Daniel Cho', 'Around two thousand, and it spikes to five thousand after a release.', 23400, 28750],
    ['Marta Silva', 'Do you have any SLAs with your customers, or is it best effort?', 29300, 33600],
    ['Daniel Cho', 'Enterprise customers have a four-hour first-response SLA. We miss it maybe ten percent of the time.', 34100, 41000],
    ['Olivia Grant', "That's exactly where routing rules and escalations help. Marta, can you show the SLA view?", 41600, 47200],
    ['Marta Silva', 'Of course. This dashboard shows every ticket at risk of breaching, sorted by time remaining.', 47800, 54450],
    ['Daniel Cho', "That's nice. Does it integrate with Jira? Engineering tracks bugs there.", 55000, 59900],
    ['Marta Silva', "Yes, there's a two-way Jira integration, so status changes sync back to the ticket.", 60400, 66100],
    ['Daniel Cho', 'What does pricing look like for fifteen seats?', 66800, 69700],
    ['Olivia Grant', "I'll send a proposal tomorrow. For your size it's usually the Growth plan with annual billing.", 70200, 77000],
    ['Daniel Cho', 'Great. Please include the Jira add-on so I can take it to our CFO.', 77500, 82300],
  ]);
});

test('a bare array with name/content fields and timecode strings', () => {
  const json = JSON.stringify([
    { name: 'Ann', content: 'Hello', start: '00:00:01.500', end: '00:00:03' },
    { name: 'Bob', content: 'Hi', start: '4.25', end: 5 },
    { content: 'Still Bob', startMs: 6000, endMs: 7000 },
  ]);
  assert.deepEqual(rows(parseJsonTranscript(json).segments), [
    ['Ann', 'Hello', 1500, 3000],
    ['Bob', 'Hi', 4250, 5000],
    ['Bob', 'Still Bob', 6000, 7000],
  ]);
});

test('{ messages } with ISO timestamps become offsets from the earliest, reported as startTime', () => {
  const json = JSON.stringify({
    messages: [
      { role: 'user', content: 'Is my order shipped?', timestamp: '2025-01-20T14:30:05Z' },
      { role: 'assistant', content: [{ type: 'text', text: 'Yes,' }, { type: 'text', text: 'yesterday.' }], timestamp: '2025-01-20T15:30:20+01:00' },
      { speaker: { name: 'Dana' }, text: 'thanks', startTime: '2025-01-20T14:30:00Z' },
    ],
  });
  const parsed = parseJsonTranscript(json);
  assert.equal(parsed.startTime, '2025-01-20T14:30:00.000Z');
  assert.deepEqual(rows(parsed.segments), [
    ['user', 'Is my order shipped?', 5000, null],
    ['assistant', 'Yes, yesterday.', 20000, null],
    ['Dana', 'thanks', 0, null],
  ]);
});

test('zone-less ISO times are read as UTC with a warning; numbered speakers', () => {
  const parsed = parseJsonTranscript(
    JSON.stringify({ segments: [{ speaker: 0, text: 'a', startTime: '2024-03-01 10:00:00' }, { speaker: 1, text: 'b', startTime: '2024-03-01T10:00:02' }] }),
  );
  assert.equal(parsed.startTime, '2024-03-01T10:00:00.000Z');
  assert.deepEqual(rows(parsed.segments), [
    ['Speaker 0', 'a', 0, null],
    ['Speaker 1', 'b', 2000, null],
  ]);
  assert.deepEqual(parsed.warnings, ['Timestamps without a time zone were read as UTC']);
});

test('bad entries are skipped with warnings; bad times become null', () => {
  const parsed = parseJsonTranscript(
    JSON.stringify({
      segments: [
        'just a string',
        null,
        { speaker: 'Ann', text: '   ' },
        { speaker: 'Ann', text: 42 },
        { speaker: 'Ann', text: 'ok', start: -3, end: 'never' },
        { speaker: 'Ann', text: 'ends early', start: 10, end: 2 },
      ],
    }),
  );
  assert.deepEqual(rows(parsed.segments), [
    ['Ann', 'ok', null, null],
    ['Ann', 'ends early', 10000, null],
  ]);
  assert.deepEqual(parsed.warnings, [
    'segments.0: skipped an entry that is not an object',
    'segments.1: skipped an entry that is not an object',
    'segments.2: skipped an entry without text',
    'segments.3: skipped an entry without text',
  ]);
});

test('invalid JSON and JSON without a segment list are validation errors', () => {
  for (const [input, pattern] of [
    ['{"segments": [', /^Invalid JSON/],
    ['{"foo": 1}', /segments/],
    ['"a string"', /segments/],
    ['42', /segments/],
    ['null', /segments/],
  ] as const) {
    assert.throws(
      () => parseJsonTranscript(input),
      (error: unknown) => error instanceof AppError && error.code === 'validation_error' && pattern.test(error.details?.file ?? ''),
      input,
    );
  }
});
