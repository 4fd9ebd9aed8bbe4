import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SearchGate } from './search-gate.js';

/** A search that runs until released, recording when it started. */
function pending(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { work: async () => (log.push(name), done), release };
}

const tick = () => new Promise((r) => setImmediate(r));

test('a user runs at most perUser searches at once; the rest wait, in order', async () => {
  const gate = new SearchGate(10, 2);
  const log: string[] = [];
  const s = [1, 2, 3, 4].map((i) => pending(log, `a${i}`));
  const runs = s.map((x) => gate.run('alice', x.work));
  await tick();
  assert.deepEqual(log, ['a1', 'a2']);
  assert.deepEqual(gate.load, { running: 2, waiting: 2 });
  s[1].release();
  await tick();
  await tick();
  assert.deepEqual(log, ['a1', 'a2', 'a3']);
  s[0].release();
  s[2].release();
  s[3].release();
  await Promise.all(runs);
  assert.deepEqual(log, ['a1', 'a2', 'a3', 'a4']);
  assert.deepEqual(gate.load, { running: 0, waiting: 0 });
});

test('a user at their limit does not hold up another user; the total is never exceeded', async () => {
  const gate = new SearchGate(3, 2);
  const log: string[] = [];
  const a = [1, 2, 3].map((i) => pending(log, `a${i}`));
  const b = [1, 2].map((i) => pending(log, `b${i}`));
  const runs = [...a.map((x) => gate.run('alice', x.work)), ...b.map((x) => gate.run('bob', x.work))];
  await tick();
  // alice 2 (her limit), bob 1 (the total of 3); a3 and b2 wait.
  assert.deepEqual(log, ['a1', 'a2', 'b1']);
  a[0].release();
  await tick();
  await tick();
  // alice's slot frees; a3 was first in line and may run (alice is below her limit again).
  assert.deepEqual(log, ['a1', 'a2', 'b1', 'a3']);
  assert.equal(gate.load.running, 3);
  b[0].release();
  await tick();
  await tick();
  assert.deepEqual(log, ['a1', 'a2', 'b1', 'a3', 'b2']);
  for (const x of [...a, ...b]) x.release();
  await Promise.all(runs);
});

test('a failing search gives its slot back', async () => {
  const gate = new SearchGate(1, 1);
  await assert.rejects(gate.run('alice', async () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await gate.run('alice', async () => 42), 42);
  assert.deepEqual(gate.load, { running: 0, waiting: 0 });
});
