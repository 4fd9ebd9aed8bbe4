import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectAudio } from './formats.js';
import { errorMessageOf, segmentsFromReply, wordsFromReply } from './reply.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/audio/${name}`, import.meta.url)).subarray(0, 64);

test('audio is recognised from its first bytes, whatever it is called', () => {
  const cases: Array<[string, string]> = [
    ['hello.wav', 'wav'], ['hello.flac', 'flac'], ['hello.ogg', 'ogg'], ['hello.opus.ogg', 'opus'],
    ['hello.m4a', 'm4a'], ['hello.aac', 'aac'], ['hello.webm', 'webm'], ['standup.mp3', 'mp3'],
  ];
  for (const [file, format] of cases) assert.equal(detectAudio(fixture(file))?.format, format, file);
  // MP3 without an ID3 tag: a bare MPEG-1 layer III frame header.
  assert.equal(detectAudio(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]))?.format, 'mp3');
});

test('transcripts and other files are not audio', () => {
  for (const text of ['WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi', '1\n00:00:01,000 --> 00:00:02,000\nHi', '{"segments":[]}', 'Ann: hello', '', 'RIFF']) {
    assert.equal(detectAudio(Buffer.from(text)), null, JSON.stringify(text));
  }
  assert.equal(detectAudio(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), null, 'PNG');
  assert.equal(detectAudio(Buffer.from('RIFF\0\0\0\0AVI LIST')), null, 'AVI');
});

test('provider replies: speakers and times from each protocol, junk skipped', () => {
  const dg = { results: { channels: [{ alternatives: [{ words: [] }] }], utterances: [{ start: 1, end: 2, transcript: ' Hi  there ', speaker: 0 }, { start: 'x', transcript: 'bad' }, { start: 3, end: 4, transcript: 'Yes', speaker: 1 }] } };
  assert.deepEqual(segmentsFromReply(dg, []), [
    { startSec: 1, endSec: 2, text: 'Hi there', speaker: 'Speaker 1' },
    { startSec: 3, endSec: 4, text: 'Yes', speaker: 'Speaker 2' },
  ]);
  const aai = { utterances: [{ start: 1500, end: 2500, text: 'Hello', speaker: 'A' }], words: [{ start: 1500, end: 2500, text: 'Hello', speaker: 'A' }] };
  assert.deepEqual(segmentsFromReply(aai, [], 'ms'), [{ startSec: 1.5, endSec: 2.5, text: 'Hello', speaker: 'Speaker A' }]);
  assert.deepEqual(wordsFromReply(aai, 'ms'), [{ startSec: 1.5, endSec: 2.5, text: 'Hello', speaker: 'Speaker A' }]);
  const openai = { text: 'a b', segments: [{ start: 0.5, end: 1, text: ' a b' }], words: [{ word: 'a', start: 0.5, end: 0.7 }, { word: 'b', start: 0.8, end: 1 }] };
  assert.deepEqual(segmentsFromReply(openai, []), [{ startSec: 0.5, endSec: 1, text: 'a b', speaker: null }]);
  assert.equal(wordsFromReply(openai)?.length, 2);
  // A plain json reply (gpt-4o-transcribe): the text at the start.
  assert.deepEqual(segmentsFromReply({ text: 'Just text.' }, []), [{ startSec: 0, endSec: 0, text: 'Just text.', speaker: null }]);
  // ElevenLabs: words with speaker_id; spacing and sound events are not words.
  const eleven = {
    language_code: 'eng',
    text: 'Hi there. (laughs) Yes',
    words: [
      { text: 'Hi', start: 1, end: 1.2, type: 'word', speaker_id: 'speaker_0' },
      { text: ' ', start: 1.2, end: 1.3, type: 'spacing', speaker_id: 'speaker_0' },
      { text: 'there.', start: 1.3, end: 1.6, type: 'word', speaker_id: 'speaker_0' },
      { text: '(laughs)', start: 1.7, end: 2, type: 'audio_event', speaker_id: 'speaker_1' },
      { text: 'Yes', start: 2.1, end: 2.3, type: 'word', speaker_id: 'speaker_1' },
    ],
  };
  assert.deepEqual(segmentsFromReply(eleven, []), [
    { startSec: 1, endSec: 1.6, text: 'Hi there.', speaker: 'Speaker 1' },
    { startSec: 2.1, endSec: 2.3, text: 'Yes', speaker: 'Speaker 2' },
  ]);
  assert.deepEqual(wordsFromReply(eleven)?.map((w) => w.text), ['Hi', 'there.', 'Yes']);
  // OpenAI's diarized_json: lettered speakers per segment.
  const diarized = { text: 'Hi. Yes.', segments: [{ type: 'transcript.text.segment', id: 'seg_0', start: 0.2, end: 1, text: 'Hi.', speaker: 'A' }, { type: 'transcript.text.segment', id: 'seg_1', start: 1.5, end: 2, text: 'Yes.', speaker: 'B' }] };
  assert.deepEqual(segmentsFromReply(diarized, []).map((s) => s.speaker), ['Speaker A', 'Speaker B']);
});

test("providers' error replies: the message, whatever the shape", () => {
  assert.equal(errorMessageOf('{"error":{"message":"Invalid file format.","type":"invalid_request_error"}}'), 'Invalid file format.');
  assert.equal(errorMessageOf('{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}'), 'Invalid API key');
  assert.equal(errorMessageOf('{"detail":[{"loc":["body","file"],"msg":"Field required","type":"missing"}]}'), 'Field required');
  assert.equal(errorMessageOf('{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials."}'), 'Invalid credentials.');
  assert.equal(errorMessageOf('{"error":"Authentication error, API token missing/invalid"}'), 'Authentication error, API token missing/invalid');
  assert.equal(errorMessageOf('<html>Bad gateway</html>'), null);
  assert.equal(errorMessageOf('{"error":{}}'), null);
});
