import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AppError } from '../errors.js';
import { parseContent } from './content.js';
import { parseTranscriptFile } from './detect.js';

// Whatever arrives, the parsers either return segments or throw an AppError the HTTP layer can map;
// a TypeError or RangeError here would be a 500.
function neverCrashes(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    assert.ok(error.code === 'validation_error' || error.code === 'payload_too_large', error.code);
  }
}

const fragments = fc.constantFrom(
  'WEBVTT', 'WEBVTT - t', '\n', '\r\n', '\n\n', ' ', '1', '-->', '00:00:01.000 --> 00:00:02.000', '00:00:01,000 --> 00:00:02,000',
  '00:01.5 --> 00:00.1 align:start', '<v Ann>', '</v>', '<c.x>', '<00:00:01.000>', '&amp;', '&#99999999;', 'NOTE', 'STYLE', 'Ann: ',
  'User: ', 'Assistant:', '[Bob] ', '{', '}', '[', ']', '"messages"', ':', ',', '"segments":[', '{"text":"hi","start":"x"}', '\uFEFF', 'é',
);
const structured = fc.array(fc.oneof(fragments, fc.string({ maxLength: 8 })), { maxLength: 40 }).map((parts) => parts.join(''));

test('parseTranscriptFile never throws anything but a validation_error', () => {
  fc.assert(
    fc.property(structured, fc.constantFrom('a.vtt', 'a.srt', 'a.json', 'a.txt', 'upload'), (text, filename) => {
      neverCrashes(() => {
        const parsed = parseTranscriptFile({ filename, data: text });
        assert.ok(parsed.segments.length > 0);
        for (const s of parsed.segments) {
          assert.equal(typeof s.speaker, 'string');
          assert.ok(s.speaker.length > 0);
          assert.ok(s.text.length > 0);
          assert.ok(s.startMs === null || (Number.isInteger(s.startMs) && s.startMs >= 0));
          assert.ok(s.endMs === null || (s.startMs !== null && s.endMs >= s.startMs) || s.startMs === null);
        }
      });
    }),
    { numRuns: 400 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), fc.constantFrom('a.vtt', 'a.json', 'a.txt'), (bytes, filename) => {
      neverCrashes(() => parseTranscriptFile({ filename, data: Buffer.from(bytes) }));
    }),
    { numRuns: 300 },
  );
});

test('parseContent never throws anything but validation_error or payload_too_large', () => {
  const jsonish = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify({ messages: value }));
  fc.assert(
    fc.property(fc.oneof(structured, jsonish, fc.string()), fc.constantFrom(undefined, 'meeting' as const, 'chat' as const), (content, kind) => {
      neverCrashes(() => {
        const parsed = parseContent(content, kind);
        assert.ok(parsed.messages.length > 0);
      });
    }),
    { numRuns: 400 },
  );
});
