import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TranscriptCache } from './transcript-cache.js';

const bytes = (n: number) => Buffer.alloc(n, 'x');

test('a new version of a conversation replaces the old one; other conversations stay', () => {
  const c = new TranscriptCache(100);
  const a1 = TranscriptCache.key('a', 1, new Date(1));
  const a2 = TranscriptCache.key('a', 2, new Date(2));
  const b1 = TranscriptCache.key('b', 1, new Date(1));
  c.set(a1, bytes(10));
  c.set(b1, bytes(10));
  c.set(a2, bytes(20));
  assert.equal(c.get(a1), undefined, 'the old version is gone');
  assert.equal(c.get(a2)?.length, 20);
  assert.equal(c.get(b1)?.length, 10);
  // Re-setting the current version keeps one copy: 20 + 10 + 25 + 25 + 20 = 100 fits the budget
  // exactly, so nothing is evicted (counting a2 twice would push b1 out).
  c.set(a2, bytes(20));
  for (const [id, n] of [['c', 25], ['d', 25], ['e', 20]] as const) c.set(TranscriptCache.key(id, 1, new Date(1)), bytes(n));
  assert.equal(c.get(b1)?.length, 10);
  assert.equal(c.get(a2)?.length, 20);
});

test('least recently used entries leave first once the byte budget is exceeded; huge ones are not kept', () => {
  const c = new TranscriptCache(1000);
  const k = (id: string) => TranscriptCache.key(id, 1, new Date(1));
  c.set(k('a'), bytes(240));
  c.set(k('b'), bytes(240));
  c.set(k('c'), bytes(240));
  c.get(k('a')); // a is now the most recently used
  c.set(k('d'), bytes(240));
  c.set(k('e'), bytes(240)); // 1,200 bytes: the least recently used (b) goes
  assert.equal(c.get(k('b')), undefined);
  for (const id of ['a', 'c', 'd', 'e']) assert.equal(c.get(k(id))?.length, 240, id);
  c.set(k('huge'), bytes(251)); // over a quarter of the budget
  assert.equal(c.get(k('huge')), undefined);
  // An evicted conversation can be cached again.
  c.set(k('b'), bytes(10));
  assert.equal(c.get(k('b'))?.length, 10);
});
