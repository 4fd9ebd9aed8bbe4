import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AppError } from '../errors.js';
import { detectFormat, parseTranscriptFile } from './detect.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/transcripts/${name}`, import.meta.url));

function expectValidation(input: Parameters<typeof parseTranscriptFile>[0], message?: RegExp): AppError {
  try {
    parseTranscriptFile(input);
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    assert.equal(error.code, 'validation_error');
    assert.ok(error.details?.file, 'details name the file');
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected a validation_error for ${input.filename}`);
}

test('format is detected from content before the extension', () => {
  const cases: Array<[string, string, string | undefined, string]> = [
    ['zoom-roadmap.vtt', 'transcript.txt', 'text/plain', 'vtt'],
    ['teams-incident-review.vtt', 'download', undefined, 'vtt'],
    ['design-review.srt', 'captions.txt', undefined, 'srt'],
    ['discovery-call.json', 'notes.txt', 'text/plain', 'json'],
    ['vendor-evaluation.txt', 'meeting.log', undefined, 'text'],
  ];
  for (const [file, filename, contentType, expected] of cases) {
    const parsed = parseTranscriptFile({ filename, contentType, data: fixture(file) });
    assert.equal(parsed.format, expected, `${file} as ${filename}`);
  }
});

test('detectFormat falls back to extension, content type, then timing-line sniffing', () => {
  assert.equal(detectFormat({ filename: 'a.srt', text: 'hello' }), 'srt');
  assert.equal(detectFormat({ filename: 'a.VTT', text: 'hello' }), 'vtt');
  assert.equal(detectFormat({ filename: 'upload', contentType: 'application/json; charset=utf-8', text: 'hello' }), 'json');
  assert.equal(detectFormat({ filename: 'upload', contentType: 'text/vtt', text: 'hello' }), 'vtt');
  assert.equal(detectFormat({ filename: 'upload', text: '00:00:01.000 --> 00:00:02.000\nhi' }), 'vtt');
  assert.equal(detectFormat({ filename: 'upload', text: '00:00:01,000 --> 00:00:02,000\nhi' }), 'srt');
  assert.equal(detectFormat({ filename: 'x.txt', text: '[00:00:05] Ann: hi' }), 'text');
  assert.equal(detectFormat({ filename: 'x', text: '\uFEFF\n\nWEBVTT\n' }), 'vtt');
  assert.equal(detectFormat({ filename: 'x', text: 'WEBVTTX\n' }), 'text');
});

test('a string payload works as well as a Buffer, and UTF-16 files are decoded', () => {
  const text = 'WEBVTT\n\n00:01.000 --> 00:02.000\n<v Zoë>Ça va?\n';
  assert.deepEqual(parseTranscriptFile({ filename: 'a.vtt', data: text }).segments, [{ speaker: 'Zoë', text: 'Ça va?', startMs: 1000, endMs: 2000 }]);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  assert.deepEqual(parseTranscriptFile({ filename: 'a.vtt', data: utf16 }).segments, [{ speaker: 'Zoë', text: 'Ça va?', startMs: 1000, endMs: 2000 }]);
});

test('empty and whitespace-only files are validation errors', () => {
  for (const data of ['', '   \n\n\t', Buffer.alloc(0), '\uFEFF']) {
    const error = expectValidation({ filename: 'empty.txt', data }, /No transcript segments found in file/);
    assert.equal(error.details?.file, 'The file has no text');
  }
  expectValidation({ filename: 'empty.vtt', data: 'WEBVTT\n' }, /No transcript segments/);
  expectValidation({ filename: 'empty.srt', data: '\r\n' }, /No transcript segments/);
  expectValidation({ filename: 'empty.json', data: '[]' }, /No transcript segments/);
  expectValidation({ filename: 'empty.json', data: '{"segments":[]}' }, /No transcript segments/);
});

test('truncated cues give a validation error when nothing usable is left', () => {
  expectValidation({ filename: 'cut.vtt', data: 'WEBVTT\n\n1\n00:00:01.000 --> 00:00' }, /No transcript segments/);
  expectValidation({ filename: 'cut.vtt', data: 'WEBVTT\n\n1\n00:00:01.0' });
  expectValidation({ filename: 'cut.srt', data: '1\n00:00:01,000 --> 00:00:02,000\n' });
  expectValidation({ filename: 'cut.json', data: '{"segments":[{"speaker":"Ann","text":"hel' }, /not valid JSON/);
});

test('garbage with a transcript extension is a validation error, not a crash', () => {
  const garbage = [
    ['x.vtt', 'WEBVTT\n\n--> --> -->\n<<<>>>\n\n-->\n'],
    ['x.vtt', '<html><body>Not captions</body></html>'],
    ['x.srt', '1\n2\n3\n-->\n\n\n'],
    ['x.srt', 'lorem ipsum'],
    ['x.json', '{"segments": "nope"}'],
    ['x.json', '[[[[]]]]'],
    ['x.json', '{"__proto__": {"polluted": true}, "messages": [{"text": null}]}'],
  ] as const;
  for (const [filename, data] of garbage) expectValidation({ filename, data });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('binary files are rejected', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00]);
  expectValidation({ filename: 'image.vtt', data: png }, /not a text transcript/);
  const random = Buffer.alloc(4096);
  for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 256;
  expectValidation({ filename: 'blob.txt', data: random });
  expectValidation({ filename: 'zip.srt', data: Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000\b\u0000\u0000\u0000!\u0000') });
  expectValidation({ filename: 'pdf.txt', data: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0, 0, 0])]) });
});

test('huge malformed input is rejected quickly', () => {
  const started = Date.now();
  expectValidation({ filename: 'huge.vtt', data: 'WEBVTT\n\n' + '-->\n'.repeat(200_000) });
  expectValidation({ filename: 'huge.srt', data: '\n'.repeat(2_000_000) });
  expectValidation({ filename: 'huge.json', data: '['.repeat(100_000) });
  expectValidation({ filename: 'huge.txt', data: ' \t'.repeat(1_000_000) });
  // Not malformed, just odd: a lone run of '<' is text, and must not send the tag scanner quadratic.
  const odd = parseTranscriptFile({ filename: 'odd.vtt', data: 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n' + '<a'.repeat(250_000) + '\n' });
  assert.equal(odd.segments[0]!.text.length, 500_000);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});

test('a huge valid file parses in linear time', () => {
  const cues: string[] = ['WEBVTT', ''];
  for (let i = 0; i < 20_000; i++) {
    const s = i * 2;
    const tc = (sec: number) => `${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}.000`;
    cues.push(String(i + 1), `${tc(s)} --> ${tc(s + 2)}`, `Speaker ${i % 4}: line ${i}`, '');
  }
  const started = Date.now();
  const parsed = parseTranscriptFile({ filename: 'long.vtt', data: cues.join('\n') });
  assert.equal(parsed.segments.length, 20_000);
  assert.deepEqual(parsed.segments[19_999], { speaker: 'Speaker 3', text: 'line 19999', startMs: 39_998_000, endMs: 40_000_000 });
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});

test('warnings are capped', () => {
  const bad = ['WEBVTT', ''];
  for (let i = 0; i < 100; i++) bad.push('99:99:99.999 --> 00:00:01.000', 'x', '');
  bad.push('00:00:01.000 --> 00:00:02.000', 'Ann: ok', '');
  const parsed = parseTranscriptFile({ filename: 'w.vtt', data: bad.join('\n') });
  assert.equal(parsed.segments.length, 1);
  assert.equal(parsed.warnings.length, 21);
  assert.equal(parsed.warnings[20], '…and 80 more warnings');
});
