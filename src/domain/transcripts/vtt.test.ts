import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseTranscriptFile } from './detect.js';
import { parseVtt } from './vtt.js';
import type { TranscriptSegment } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/transcripts/${name}`, import.meta.url));
const rows = (segments: TranscriptSegment[]) => segments.map((s) => [s.speaker, s.text, s.startMs, s.endMs]);

test('Zoom export: numbered cues, "Name: text", entities, URLs and "Note:" inside text', () => {
  const parsed = parseTranscriptFile({ filename: 'GMT20240312-150000_Recording.transcript.vtt', data: fixture('zoom-roadmap.vtt') });
  assert.equal(parsed.format, 'vtt');
  assert.equal(parsed.title, undefined);
  assert.deepEqual(parsed.warnings, []);
  assert.deepEqual(rows(parsed.segments), [
    ['Dana Whitfield', "Okay, I think we have everyone. Let's get started.", 2310, 5120],
    ['Dana Whitfield', 'Today is the Q3 roadmap review, and then a quick hiring update at the end.', 5870, 11400],
    ['Marcus Oyelaran', 'Sounds good. Before we dive in, the payments migration slipped by about a week.', 12050, 17930],
    ['Dana Whitfield', 'How much of that is the vendor API versus our own work?', 18200, 23760],
    ['Marcus Oyelaran', "Mostly the vendor. Their sandbox was down Monday and Tuesday, so R&D couldn't run the contract tests.", 24010, 31480],
    ['Priya Raman', 'On the design side, the checkout flow mocks are ready for review.', 31900, 36250],
    ['Priya Raman', "They're in Figma at https://www.figma.com/file/abc123/checkout-v2 if anyone wants a look.", 36600, 42110],
    ['Tomás Herrera', "From QA, we'd need at least five days of regression once the migration lands.", 42700, 48030],
    ['Marcus Oyelaran', "Note: the staging environment is frozen until Friday, so regression can't start before Monday.", 48500, 53980],
    ['Dana Whitfield', "Okay. So realistically we're looking at launch on the 24th instead of the 17th.", 54400, 60120],
    ['Tomás Herrera', 'That works for us.', 60500, 63870],
    ['Priya Raman', "Can we keep the marketing page on the original date? It doesn't depend on payments.", 64200, 70640],
    ['Dana Whitfield', "Yes, let's decouple it. Marcus, can you confirm with the vendor by Thursday?", 71000, 75300],
    ['Marcus Oyelaran', "Will do. I'll send a summary to the channel after this call.", 75800, 79450],
    ['Dana Whitfield', 'Great. Quick hiring update: we have two final-round candidates for the backend role.', 80100, 84900],
  ]);
});

test('Teams export: BOM, CRLF, GUID cue ids, <v Name>…</v>, wrapped voice text', () => {
  const parsed = parseTranscriptFile({ filename: 'Incident review.vtt', contentType: 'text/vtt', data: fixture('teams-incident-review.vtt') });
  assert.equal(parsed.format, 'vtt');
  assert.deepEqual(parsed.warnings, []);
  assert.deepEqual(rows(parsed.segments), [
    ['Lena Fischer', 'Good morning, everyone. Thanks for joining on short notice.', 3120, 6480],
    ['Lena Fischer', "The goal today is to walk through Tuesday's outage and agree on follow-ups.", 6480, 11030],
    ['Sam Okafor', 'Sure. At 14:02 UTC the checkout service started returning 503s for roughly 40 minutes.', 11900, 17250],
    ['Sam Okafor', 'The root cause was a connection pool limit & a retry storm from the mobile clients.', 17250, 22800],
    ['Lena Fischer', 'Did the alerts fire on time?', 23410, 26090],
    ['Sam Okafor', 'They fired, but they went to the old on-call rotation, so we lost about twelve minutes.', 26700, 32540],
    ['Alex Novak', "That's on me. I updated PagerDuty but not the Slack escalation channel.", 33100, 38660],
    ['Alex Novak', "I'll fix the routing today and add a check so it can't drift again.", 38660, 43920],
    ['Lena Fischer', 'Thanks, Alex. Sam, what would have kept the pool from saturating?', 44500, 49370],
    ['Sam Okafor', 'Two things: exponential backoff with jitter on the client, and a circuit breaker in front of the payments call.', 50020, 56810],
    ['Priya Shah', 'From the mobile side, the backoff change can ship in the 5.12 release next week.', 57300, 62150],
    ['Lena Fischer', "Great. Let's capture those as action items with owners <and dates>.", 62900, 67440],
    ['Alex Novak', 'I can write up the postmortem draft by Friday.', 68000, 72760],
    ['Lena Fischer', 'Perfect. Thanks all.', 73300, 76020],
  ]);
});

test('Meet-style export: metadata header, NOTE/STYLE blocks, cue settings, rolling duplicates, inline timestamps, two voices in a cue', () => {
  const parsed = parseTranscriptFile({ filename: 'meet.vtt', data: fixture('meet-onboarding-sync.vtt') });
  assert.deepEqual(parsed.warnings, []);
  assert.deepEqual(rows(parsed.segments), [
    ['Hannah Brooks', 'Hi everyone, thanks for hopping on.', 1000, 3400],
    ['Hannah Brooks', 'This is the weekly customer onboarding sync.', 3410, 6900],
    ['Raj Patel', 'So Acme signed on Friday, and they want to go live in June.', 7300, 11820],
    ['Raj Patel', 'They have about 1,200 seats across three regions.', 11820, 15050],
    ['Chloé Martin', 'Do we know if they need SSO on day one?', 15600, 19300],
    ['Raj Patel', 'Yes, Okta. Their IT lead already asked for the SAML metadata.', 19900, 24150],
    ['Hannah Brooks', 'Okay.', 24600, 27350],
    ['Chloé Martin', 'I can send that today.', 24600, 27350],
    ['Chloé Martin', "I'll also set up their sandbox tenant & invite the admins.", 27900, 33420],
    ['Ben Carter', 'One risk: their data export is in a custom CSV format.', 34000, 38700],
    ['Ben Carter', 'We may need a day or two to write the importer.', 38700, 43250],
    ['Hannah Brooks', "Let's timebox that to two days and flag it if it slips.", 43800, 47100],
    ['Ben Carter', "Sounds good. I'll start on it tomorrow morning.", 47600, 50900],
    ['Raj Patel', "I'll tell their team we're targeting June 10th.", 51400, 54000],
    ['Hannah Brooks', 'Perfect. Thanks, everyone.', 54500, 57200],
  ]);
});

test('YouTube-style rolling captions with whitespace-only lines inside cues', () => {
  const vtt = [
    'WEBVTT',
    'Kind: captions',
    'Language: en',
    '',
    '00:00:00.160 --> 00:00:02.310 align:start position:0%',
    ' ',
    'in<00:00:00.480><c> this</c><00:00:00.640><c> video</c>',
    '',
    '00:00:02.310 --> 00:00:02.320 align:start position:0%',
    'in this video',
    ' ',
    '',
    '00:00:02.320 --> 00:00:04.950 align:start position:0%',
    'in this video',
    "we're<00:00:02.560><c> going</c><00:00:02.720><c> to</c>",
    '',
    '00:00:04.950 --> 00:00:04.960 align:start position:0%',
    "we're going to",
    ' ',
    '',
    '00:00:04.960 --> 00:00:07.000 align:start position:0%',
    "we're going to",
    'talk about budgets',
    '',
  ].join('\n');
  assert.deepEqual(rows(parseVtt(vtt).segments), [
    ['Unknown', 'in this video', 160, 2310],
    ['Unknown', "we're going to", 2320, 4950],
    ['Unknown', 'talk about budgets', 4960, 7000],
  ]);
});

test('voice tags with classes, unclosed voices, text after </v> inherits, tags and entities', () => {
  const vtt = [
    'WEBVTT - Board prep',
    '',
    '1',
    '00:01.000 --> 00:04.000',
    '<v.loud Ana María>We <b>must</b> <i>ship</i> &lt;this&gt; week&#39;s build &#x2014; no excuses.',
    '',
    '2',
    '00:04.000 --> 00:06.000',
    '<v Ana María>Agreed?</v> <v Ken>Yes.</v>',
    '',
    '3',
    '00:06.000 --> 00:08.000',
    'And tomorrow too.',
    '',
    '4',
    '00:08.000 --> 00:09.000',
    '<v Ken>a < b and c > d &unknown; &amp;amp;',
  ].join('\n');
  const parsed = parseVtt(vtt);
  assert.equal(parsed.title, 'Board prep');
  assert.deepEqual(rows(parsed.segments), [
    ['Ana María', "We must ship <this> week's build — no excuses.", 1000, 4000],
    ['Ana María', 'Agreed?', 4000, 6000],
    ['Ken', 'Yes.', 4000, 6000],
    ['Ken', 'And tomorrow too.', 6000, 8000],
    ['Ken', 'a < b and c > d &unknown; &amp;', 8000, 9000],
  ]);
});

test('sloppy files: no header, no blank lines between cues, broken timings and empty cues give warnings', () => {
  const vtt = [
    '1',
    '00:00:01.000 --> 00:00:02.000',
    'Ann: first',
    '2',
    '00:00:02.000 --> 00:00:03.000',
    'Bob: second',
    '',
    '3',
    '00:00:0x.000 --> 00:00:04.000',
    'Ann: lost',
    '',
    '4',
    '00:00:05.000 --> 00:00:06.000',
    '',
    'stray words',
    '',
    '5',
    '00:00:07.000 --> 00:00:05.000',
    'Bob: end before start',
  ].join('\n');
  const parsed = parseVtt(vtt);
  assert.deepEqual(rows(parsed.segments), [
    ['Ann', 'first', 1000, 2000],
    ['Bob', 'second', 2000, 3000],
    ['Bob', 'end before start', 7000, null],
  ]);
  assert.deepEqual(parsed.warnings, [
    'Missing WEBVTT header; parsed the cues anyway',
    'Line 15: skipped text outside any cue',
    'Line 9: skipped a cue with an unreadable timing line "00:00:0x.000 --> 00:00:04.000"',
    'Line 13: skipped a cue without text',
  ]);
});

test('a header-only or NOTE-only file has no segments', () => {
  assert.deepEqual(parseVtt('WEBVTT\n\nNOTE nothing here\n').segments, []);
  assert.deepEqual(parseVtt('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n').segments, []);
});
