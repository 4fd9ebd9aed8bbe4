import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPlausibleSpeaker, roleForLabel, splitBracketSpeaker, splitLabel, splitSpeakerLabel } from './labels.js';
import { decodeEntities, looksBinary, normalizeNewlines } from './text.js';

test('roleForLabel covers every Converra label, case-insensitively', () => {
  const expected: Record<string, string | null> = {
    User: 'user', HUMAN: 'user', customer: 'user',
    Assistant: 'assistant', ai: 'assistant', AGENT: 'assistant',
    System: 'system', tool: 'tool',
    Alice: null, Bot: null, Note: null,
  };
  for (const [label, role] of Object.entries(expected)) assert.equal(roleForLabel(label), role, label);
});

test('splitLabel needs a colon at line start followed by a space or the end of the line', () => {
  assert.deepEqual(splitLabel('Alice Chen: hi there'), { label: 'Alice Chen', rest: 'hi there' });
  assert.deepEqual(splitLabel('Alice:'), { label: 'Alice', rest: '' });
  assert.deepEqual(splitLabel('Alice:\thi'), { label: 'Alice', rest: 'hi' });
  assert.equal(splitLabel('https://example.com: x'), null);
  assert.equal(splitLabel('10:30 is fine'), null);
  assert.equal(splitLabel('42: the answer'), null);
  assert.equal(splitLabel('  Alice: indented'), null);
  assert.equal(splitLabel(': empty'), null);
  assert.equal(splitLabel('a'.repeat(50) + ': long'), null);
});

test('isPlausibleSpeaker: names yes, sentences and headings no', () => {
  for (const yes of ['Alice', 'alice', 'Alice Chen', 'Project Manager', 'Speaker 1', "Dr. O'Brien", 'Jean-Luc', 'Ana María (Guest)', 'Ludwig van Beethoven', 'AI', 'Q']) {
    assert.equal(isPlausibleSpeaker(yes), true, yes);
  }
  for (const no of ['Note', 'NOTE', 'PS', 'Agenda', 'Action items', 'So the plan is', 'One Two Three Four Five', 'Well, here it is', '123', 'x'.repeat(41), 'a/b', '<b>Bob</b>', '']) {
    assert.equal(isPlausibleSpeaker(no), false, no);
  }
});

test('splitSpeakerLabel combines both checks', () => {
  assert.deepEqual(splitSpeakerLabel('Priya Raman: ok'), { label: 'Priya Raman', rest: 'ok' });
  assert.equal(splitSpeakerLabel('Note: the build is red'), null);
  assert.equal(splitSpeakerLabel('So the plan is: ship'), null);
});

test('splitBracketSpeaker: names yes, sound tags and lowercase no', () => {
  assert.deepEqual(splitBracketSpeaker('[Maria Lopez] Can you hear me?'), { label: 'Maria Lopez', rest: 'Can you hear me?' });
  assert.deepEqual(splitBracketSpeaker('(Ken): fine'), { label: 'Ken', rest: 'fine' });
  assert.equal(splitBracketSpeaker('[MUSIC] la la'), null);
  assert.equal(splitBracketSpeaker('[Laughter] ha'), null);
  assert.equal(splitBracketSpeaker('[laughs] ha'), null);
  assert.equal(splitBracketSpeaker('[Maria]'), null);
});

test('text helpers: entities, newlines, binary sniffing', () => {
  assert.equal(decodeEntities('&amp; &lt; &gt; &quot; &#39; &#x27; &apos; &nbsp;|&lrm;&#8212;&#xD800;&bogus;'), `& < > " ' ' ' \u00a0|—&#xD800;&bogus;`);
  assert.equal(normalizeNewlines('\uFEFFa\r\nb\rc\n'), 'a\nb\nc\n');
  assert.equal(looksBinary('plain text\nwith lines\ttabs'), false);
  assert.equal(looksBinary('abc\u0000def'), true);
  assert.equal(looksBinary('\u0001\u0002\u0003 mostly control'), true);
  assert.equal(looksBinary(''), false);
});
