import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from './errors.js';
import { FairQueue } from './fair-queue.js';

/** Acquires and records the order in which tasks are admitted. */
function tracker(q: FairQueue) {
  const admitted: string[] = [];
  const releases = new Map<string, () => void>();
  const take = (name: string, user: string, size: number, signal?: AbortSignal) =>
    q.acquire(user, size, signal).then((admission) => {
      admitted.push(name);
      releases.set(name, admission.release);
    });
  const release = async (name: string) => {
    releases.get(name)!();
    await new Promise((r) => setImmediate(r));
  };
  return { admitted, take, release };
}

const tick = () => new Promise((r) => setImmediate(r));

test('a free thread goes to the user with fewer tasks running, not to the oldest task', async () => {
  const q = new FairQueue({ threads: 2, perUser: 2, smallSize: 10 });
  const t = tracker(q);
  for (let i = 1; i <= 4; i++) void t.take(`a${i}`, 'a', 1_000);
  void t.take('b1', 'b', 1_000);
  await tick();
  assert.deepEqual(t.admitted, ['a1', 'a2']);
  await t.release('a1');
  assert.deepEqual(t.admitted, ['a1', 'a2', 'b1'], 'b, with nothing running, goes before a3');
});

test('one user never has more than perUser tasks running, even with threads free', async () => {
  const q = new FairQueue({ threads: 3, perUser: 1, smallSize: 10 });
  const t = tracker(q);
  void t.take('a1', 'a', 1_000);
  void t.take('a2', 'a', 1_000);
  await tick();
  assert.deepEqual(t.admitted, ['a1']);
  assert.equal(q.waiting, 1);
});

test('small tasks start on the extra thread while large ones fill the others, and go first', async () => {
  const q = new FairQueue({ threads: 1, perUser: 2, smallSize: 10 });
  const t = tracker(q);
  void t.take('big1', 'a', 1_000);
  void t.take('big2', 'b', 1_000);
  void t.take('small1', 'c', 5);
  await tick();
  assert.deepEqual(t.admitted, ['big1', 'small1'], 'the small task did not wait for the large one');
  void t.take('small2', 'd', 5);
  await tick();
  await t.release('big1');
  assert.deepEqual(t.admitted, ['big1', 'small1', 'small2'], 'a small task goes before an older large one');
});

test('a task whose client went away leaves the queue and never takes a thread', async () => {
  const q = new FairQueue({ threads: 1, perUser: 1, smallSize: 10 });
  const t = tracker(q);
  void t.take('a1', 'a', 1_000);
  const gone = new AbortController();
  const abandoned = t.take('b1', 'b', 1_000, gone.signal);
  void t.take('c1', 'c', 1_000);
  await tick();
  gone.abort();
  await assert.rejects(abandoned, (err: unknown) => err instanceof AppError && err.code === 'service_unavailable');
  assert.equal(q.waiting, 1);
  await t.release('a1');
  assert.deepEqual(t.admitted, ['a1', 'c1']);
  await assert.rejects(q.acquire('d', 1, AbortSignal.abort()), AppError, 'already gone: not even queued');
});
