import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import type { Segment } from '../types.js';
import { salvageJson } from './call.js';
import { locate, mergeEvidence, scopeOf, verifyEvidence } from './evidence.js';

const segs: Segment[] = [
  { index: 10, speaker: 'Ann', timestamp: null, text: 'We’ll ship the beta on   Friday, no matter what.' },
  { index: 11, speaker: 'Bo', timestamp: null, text: 'Then I need the test plan by Wednesday.' },
  { index: 12, speaker: 'Ann', timestamp: null, text: 'Agreed. I will write the test plan tonight.' },
  { index: 13, speaker: 'Bo', timestamp: null, text: 'Great, thanks.' },
];

test('locate matches across spacing, case and quote marks and returns the verbatim span', () => {
  assert.equal(locate(segs[0].text, "we'll ship the beta on Friday"), 'We’ll ship the beta on   Friday');
  assert.equal(locate(segs[0].text, 'ship the gamma'), null);
});

test('verifyEvidence keeps real quotes, re-points near misses, clamps indices, drops inventions', () => {
  const scope = scopeOf(segs);
  const out = verifyEvidence(
    scope,
    [
      { segmentIndex: 11, quote: 'I need the test plan by Wednesday' },
      { segmentIndex: 11, quote: 'I will write the test plan tonight' }, // really in 12
      { segmentIndex: 99, quote: '"Great, thanks."' }, // past the end, wrapped in quote marks
      { segmentIndex: 10, quote: 'we will ship it on Monday' }, // never said
      { segmentIndex: 10, quote: 'We’ll ship … no matter what' }, // elided: its longest piece
      { segmentIndex: 12, quote: 'ok' }, // too short to mean anything
    ],
    10,
  );
  assert.deepEqual(out, [
    { segmentIndex: 11, quote: 'I need the test plan by Wednesday' },
    { segmentIndex: 12, quote: 'I will write the test plan tonight' },
    { segmentIndex: 13, quote: 'Great, thanks.' },
    { segmentIndex: 10, quote: 'no matter what' },
  ]);
});

test('a quote is only found among the lines the model was shown', () => {
  const onlyBo = scopeOf(segs, [1, 3]);
  assert.deepEqual(verifyEvidence(onlyBo, [{ segmentIndex: 12, quote: 'I will write the test plan tonight' }]), []);
  assert.deepEqual(verifyEvidence(onlyBo, [{ segmentIndex: 12, quote: 'need the test plan by Wednesday' }]), [{ segmentIndex: 11, quote: 'need the test plan by Wednesday' }]);
});

test('a short quote is not re-pointed far from its citation', () => {
  assert.deepEqual(verifyEvidence(scopeOf(segs), [{ segmentIndex: 10, quote: 'Great, thanks' }]), []);
});

test('mergeEvidence de-duplicates and orders by segment', () => {
  const a = { segmentIndex: 12, quote: 'Agreed.' };
  const b = { segmentIndex: 10, quote: 'Friday' };
  assert.deepEqual(mergeEvidence([[a, b], [{ ...a, quote: 'agreed.' }]]), [b, a]);
});

test('salvageJson takes the object out of fences or prose and reports what is wrong otherwise', () => {
  const schema = z.object({ a: z.number() });
  assert.deepEqual(salvageJson('```json\n{"a": 1}\n```', schema), { ok: true, value: { a: 1 } });
  assert.deepEqual(salvageJson('Here: {"a": 2} hope that helps', schema), { ok: true, value: { a: 2 } });
  assert.deepEqual(salvageJson('', schema), { ok: false, problem: 'The reply was empty.' });
  assert.deepEqual(salvageJson('{"a": }', schema), { ok: false, problem: 'The reply was not valid JSON.' });
  const wrong = salvageJson('{"a": "x"}', schema);
  assert.equal(wrong.ok, false);
  assert.match(!wrong.ok ? wrong.problem : '', /^The JSON did not match the required shape: a: /);
});
