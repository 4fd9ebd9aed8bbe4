import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectAudio } from './formats.js';
import { segmentsFromReply, wordsFromReply } from './reply.js';

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
});
