import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWordVectors, rowSimilarity, wordVectors } from './word-vectors.js';

test('the committed word vectors load and put paraphrases close together', () => {
  const v = wordVectors();
  assert.ok(v, 'word-vectors.bin is found next to the engine');
  assert.equal(v.dimensions, 100);
  assert.ok(v.rows.size >= 30_000, `${v.rows.size} words`);
  const sim = (a: string, b: string) => rowSimilarity(v, v.rows.get(a)!, v.rows.get(b)!);
  assert.ok(sim('issues', 'problems') > 0.65, `issues~problems ${sim('issues', 'problems')}`);
  assert.ok(sim('cost', 'price') > 0.65, `cost~price ${sim('cost', 'price')}`);
  assert.ok(sim('cost', 'banana') < 0.3, `cost~banana ${sim('cost', 'banana')}`);
  assert.ok(Math.abs(sim('price', 'price') - 1) < 1e-6);
});

test('a word-vector file of another format or with a wrong word count is refused', () => {
  const body = Buffer.concat([Buffer.from('{"format":"colloquy-word-vectors/1","words":2,"dimensions":2}\n'), Buffer.from(Int8Array.from([1, 0, 0, 1]).buffer), Buffer.from('a\nb')]);
  const v = parseWordVectors(body);
  assert.equal(rowSimilarity(v, v.rows.get('a')!, v.rows.get('b')!), 0);
  assert.throws(() => parseWordVectors(Buffer.from('{"format":"other/2","words":0,"dimensions":2}\n')), /unknown word-vector format/);
  const short = Buffer.concat([Buffer.from('{"format":"colloquy-word-vectors/1","words":3,"dimensions":2}\n'), Buffer.alloc(6), Buffer.from('a\nb')]);
  assert.throws(() => parseWordVectors(short), /lists 2 words, header says 3/);
});
