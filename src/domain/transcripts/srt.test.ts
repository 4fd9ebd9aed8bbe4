import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseTranscriptFile } from './detect.js';
import { parseSrt } from './srt.js';
import type { TranscriptSegment } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/transcripts/${name}`, import.meta.url));
const rows = (segments: TranscriptSegment[]) => segments.map((s) => [s.speaker, s.text, s.startMs, s.endMs]);

test('SRT export: BOM, CRLF, multi-line cues, inherited speakers, dialogue dashes, tags, no trailing blank line', () => {
  const raw = fixture('design-review.srt');
  assert.equal(raw[0], 0xef, 'fixture keeps its BOM');
  assert.ok(!raw.toString('utf8').endsWith('\n'), 'fixture has no trailing newline');
  const parsed = parseTranscriptFile({ filename: 'design-review.srt', data: raw });
  assert.equal(parsed.format, 'srt');
  assert.deepEqual(parsed.warnings, []);
  assert.deepEqual(rows(parsed.segments), [
    ['Jordan Ellis', "Alright, let's kick off the design review for the new dashboard.", 840, 4200],
    ['Keiko Tanaka', "I'll share my screen. Can everyone see the Figma file?", 4600, 8950],
    ['Malik Johnson', 'Yep, looks good.', 9300, 11100],
    ['Keiko Tanaka', 'So the main change is the usage panel moved to the top.', 11500, 16720],
    ['Keiko Tanaka', "It's what most admins check first, according to the interviews.", 17000, 21480],
    ['Jordan Ellis', 'Did we test it with the colour-blind palette?', 21900, 25300],
    ['Keiko Tanaka', 'Not yet.', 25700, 29050],
    ['Malik Johnson', 'I can run that this week.', 25700, 29050],
    ['Jordan Ellis', 'Great. What about the empty state?', 29600, 34200],
    ['Keiko Tanaka', 'We have an illustration and a link to the setup guide.', 34700, 39900],
    ['Malik Johnson', 'The link should go to docs.example.com/setup, not the old wiki.', 40300, 44800],
    ['Keiko Tanaka', "Good catch, I'll fix it.", 45100, 47600],
    ['Jordan Ellis', 'Okay. Ship it behind the feature flag on Monday?', 48000, 52350],
    ['Malik Johnson', 'Works for me.', 52700, 55200],
    ['Keiko Tanaka', 'Same here.', 55600, 58900],
  ]);
});

test('SRT speaker prefixes: [Name], (Name), NAME:, >> NAME:, sound tags are not speakers', () => {
  const srt = [
    '1',
    '00:00:01,000 --> 00:00:02,500',
    '[Maria Lopez] Can you hear me?',
    '',
    '2',
    '00:00:03,000 --> 00:00:04,000',
    'DAVID: Loud and clear.',
    '',
    '3',
    '00:00:04,000 --> 00:00:05,000',
    '[MUSIC] Sorry, that was my phone.',
    '',
    '4',
    '00:00:05,000 --> 00:00:06,000',
    '>> MARIA LOPEZ: No worries.',
    '',
    '5',
    '00:00:06,000 --> 00:00:07,000',
    '(Ken) [laughs] ok',
    '',
    '6',
    '00:00:07,000 --> 00:00:08,000',
    '[inaudible]',
  ].join('\n');
  assert.deepEqual(rows(parseSrt(srt).segments), [
    ['Maria Lopez', 'Can you hear me?', 1000, 2500],
    ['DAVID', 'Loud and clear.', 3000, 4000],
    ['DAVID', '[MUSIC] Sorry, that was my phone.', 4000, 5000],
    ['MARIA LOPEZ', 'No worries.', 5000, 6000],
    ['Ken', '[laughs] ok', 6000, 7000],
    ['Ken', '[inaudible]', 7000, 8000],
  ]);
});

test('SRT without speakers, whitespace-only separators, dots instead of commas, position coordinates', () => {
  const srt = '1\n00:00:01.000 --> 00:00:02.000 X1:100 X2:600 Y1:50 Y2:80\nhello there\n   \n2\n00:00:02,000 --> 00:00:03,000\ngeneral kenobi\n';
  assert.deepEqual(rows(parseSrt(srt).segments), [
    ['Unknown', 'hello there', 1000, 2000],
    ['Unknown', 'general kenobi', 2000, 3000],
  ]);
});

test('SRT truncated in the middle of a cue keeps the complete cues and warns', () => {
  const srt = '1\r\n00:00:01,000 --> 00:00:02,000\r\nAnn: one\r\n\r\n2\r\n00:00:02,000 --> 00:00:0';
  const parsed = parseSrt(srt);
  assert.deepEqual(rows(parsed.segments), [['Ann', 'one', 1000, 2000]]);
  assert.deepEqual(parsed.warnings, ['Line 6: skipped a cue without text']);

  const onlyNumber = parseSrt('1\n00:00:01,000 --> 00:00:02,000\nAnn: one\n\n2\n');
  assert.deepEqual(onlyNumber.warnings, ['Line 5: skipped a cue number without a timing line']);
});
