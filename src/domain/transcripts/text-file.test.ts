import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseTranscriptFile } from './detect.js';
import { parseTextTranscript } from './text-file.js';
import type { TranscriptSegment } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/transcripts/${name}`, import.meta.url));
const rows = (segments: TranscriptSegment[]) => segments.map((s) => [s.speaker, s.text, s.startMs, s.endMs]);

test('plain text file: header fields, [hh:mm:ss] Name: text, continuation lines, "Note:" stays text', () => {
  const parsed = parseTranscriptFile({ filename: 'vendor-evaluation.txt', contentType: 'text/plain', data: fixture('vendor-evaluation.txt') });
  assert.equal(parsed.format, 'text');
  assert.equal(parsed.title, 'Vendor evaluation — observability platform');
  assert.deepEqual(parsed.warnings, []);
  assert.deepEqual(rows(parsed.segments), [
    ['Grace Kim', "Thanks for making time. We've narrowed it down to two vendors for the observability platform.", 4000, null],
    ['Omar Haddad', 'I went through both trials last week.', 12000, null],
    ['Omar Haddad', 'Vendor A has better tracing, but their log search is slow on anything older than a week.', 16000, null],
    ['Nina Petrova', 'What about pricing? Last time the quote was per host.', 29000, null],
    ['Grace Kim', 'Vendor A moved to per-GB ingest. Vendor B is still per host.', 35000, null],
    ['Omar Haddad', "Per-GB would cost us more during incidents, when log volume spikes. Note: that's exactly when we need the data most.", 42000, null],
    ['Nina Petrova', 'Can we negotiate a cap on overage?', 55000, null],
    ['Grace Kim', 'I asked. They offered a soft cap at 120% of the committed volume.', 61000, null],
    ['Omar Haddad', "That's reasonable. Vendor B also lacks an on-prem option, which security flagged.", 70000, null],
    ['Nina Petrova', "Then I'd lean toward Vendor A, assuming the log search gets fixed.", 79000, null],
    ['Grace Kim', 'Their roadmap says Q3 for the new storage engine.', 86000, null],
    ['Omar Haddad', "Let's make that a condition in the contract.", 92000, null],
    ['Grace Kim', "Agreed. I'll draft the recommendation and share it by Friday.", 98000, null],
  ]);
});

test('timestamp placements: before the name, after the name, after the colon, none', () => {
  const text = [
    '00:00:05 Ann Lee: one',
    '(0:07) Bob: two',
    'Ann Lee [00:00:09]: three',
    'Bob (00:11): four',
    'Cy 00:00:13.500: five',
    'Ann Lee: [00:00:15] six',
    'Bob: seven',
    '[00:00:20] eight, same speaker',
  ].join('\n');
  assert.deepEqual(rows(parseTextTranscript(text).segments), [
    ['Ann Lee', 'one', 5000, null],
    ['Bob', 'two', 7000, null],
    ['Ann Lee', 'three', 9000, null],
    ['Bob', 'four', 11000, null],
    ['Cy', 'five', 13500, null],
    ['Ann Lee', 'six', 15000, null],
    ['Bob', 'seven', null, null],
    ['Bob', 'eight, same speaker', 20000, null],
  ]);
});

test('name-and-time header lines with the words below (Otter-style export)', () => {
  const text = 'Weekly sync\n\nAnn Lee  0:03\nMorning. Quick one today.\n\nBob Stone  1:15\nSure.\nI have two updates.\n';
  const parsed = parseTextTranscript(text);
  assert.equal(parsed.title, 'Weekly sync');
  assert.deepEqual(rows(parsed.segments), [
    ['Ann Lee', 'Morning. Quick one today.', 3000, null],
    ['Bob Stone', 'Sure. I have two updates.', 75000, null],
  ]);
});

test('unexplained lines before the first speaker are reported', () => {
  const parsed = parseTextTranscript('Subject: Budget\nrecorded on my phone\nsorry for the noise\nAnn: ok let us start\n');
  assert.equal(parsed.title, 'Budget');
  assert.deepEqual(parsed.warnings, ['Skipped 2 line(s) before the first speaker']);
  assert.deepEqual(rows(parsed.segments), [['Ann', 'ok let us start', null, null]]);
});

test('text without speaker labels: one Unknown segment per paragraph', () => {
  const parsed = parseTextTranscript('We reviewed the budget.\nIt is fine.\n\n\nNext week: hiring.\n');
  assert.deepEqual(rows(parsed.segments), [
    ['Unknown', 'We reviewed the budget. It is fine.', null, null],
    ['Unknown', 'Next week: hiring.', null, null],
  ]);
  assert.deepEqual(parsed.warnings, ['No speaker labels found; each paragraph was attributed to "Unknown"']);
});
