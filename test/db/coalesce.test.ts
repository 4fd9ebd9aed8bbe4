// Group commit for hot statements: concurrent calls share a statement, a lone call waits for
// nothing, every call is answered by a statement that started after it, and failures stay per item.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Coalescer, ItemFailure } from '../../src/db/coalesce.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Coalescer', () => {
  test('calls of one turn share a statement; calls made while it runs go out together as the next, in order', async () => {
    const batches: number[][] = [];
    const gates: ReturnType<typeof deferred>[] = [];
    const c = new Coalescer<string, number, number>(async (_key, items) => {
      batches.push(items);
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
      return items.map((x) => x * 10);
    });
    const first = [c.call('k', 1), c.call('k', 2)];
    assert.deepEqual(batches, [], 'nothing is sent before the turn ends');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(batches, [[1, 2]], 'the calls of one turn went out together, without waiting for more');
    const rest = [3, 4, 5].map((x) => c.call('k', x));
    assert.equal(batches.length, 1, 'nothing else is sent while the first statement runs');
    gates[0].resolve();
    assert.deepEqual(await Promise.all(first), [10, 20]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(batches, [[1, 2], [3, 4, 5]]);
    gates[1].resolve();
    assert.deepEqual(await Promise.all(rest), [30, 40, 50]);
  });

  test('keys are independent lanes', async () => {
    const batches: string[] = [];
    const c = new Coalescer<string, number, number>(async (key, items) => {
      batches.push(`${key}:${items.join(',')}`);
      return items;
    });
    await Promise.all([c.call('a', 1), c.call('b', 2), c.call('a', 3), c.call('b', 4)]);
    assert.deepEqual(batches.sort(), ['a:1,3', 'b:2,4']);
  });

  test('every call is answered by a statement that started after the call (no stale reads)', async () => {
    let value = 0;
    const gate = deferred();
    const c = new Coalescer<string, null, number>(async () => {
      const seen = value; // what a statement starting now would read
      await gate.promise;
      return [seen];
    });
    const early = c.call('k', null);
    await new Promise((r) => setImmediate(r)); // the first statement starts
    value = 1; // a write commits while the first statement is in flight
    const late = c.call('k', null);
    gate.resolve();
    assert.equal(await early, 0);
    assert.equal(await late, 1, 'the later call was not given the earlier statement\'s answer');
  });

  test('an ItemFailure rejects only its own call; a thrown error rejects its batch only', async () => {
    let fail = false;
    const c = new Coalescer<string, number, number>(async (_k, items) => {
      if (fail) throw new Error('statement failed');
      return items.map((x) => (x < 0 ? new ItemFailure(new Error(`bad ${x}`)) : x));
    });
    const results = await Promise.allSettled([c.call('k', 1), c.call('k', -2), c.call('k', 3)]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      [1, 'bad -2', 3],
    );
    fail = true;
    await assert.rejects(c.call('k', 5), /statement failed/);
    fail = false;
    assert.equal(await c.call('k', 6), 6, 'the lane recovers after a failed batch');
  });

  test('with two statements in flight, a third waits; batches never exceed the cap', async () => {
    const sizes: number[] = [];
    const observed: number[] = [];
    let inFlight = 0;
    let maxSeen = 0;
    const c = new Coalescer<string, number, number>(
      async (_k, items) => {
        inFlight++;
        maxSeen = Math.max(maxSeen, inFlight);
        sizes.push(items.length);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return items;
      },
      { maxInFlight: 2, maxBatch: 4, onBatch: (n) => observed.push(n) },
    );
    const out = await Promise.all(Array.from({ length: 20 }, (_, i) => c.call('k', i)));
    assert.deepEqual(out, Array.from({ length: 20 }, (_, i) => i));
    assert.equal(maxSeen, 2);
    assert.ok(Math.max(...sizes) <= 4, sizes.join(','));
    assert.equal(sizes.reduce((a, b) => a + b, 0), 20);
    assert.deepEqual(observed, sizes, 'onBatch saw every batch as it was sent');
  });

  test('a second statement slot that finds nothing left to send sends nothing', async () => {
    const sizes: number[] = [];
    const observed: number[] = [];
    const c = new Coalescer<string, number, number>(
      async (_k, items) => {
        sizes.push(items.length);
        return items;
      },
      { maxInFlight: 2, onBatch: (n) => observed.push(n) },
    );
    // Both calls start a slot; the first slot takes both, the second must not run an empty batch.
    assert.deepEqual(await Promise.all([c.call('k', 1), c.call('k', 2)]), [1, 2]);
    await new Promise((r) => setTimeout(r, 10)); // the second slot wakes after the answers
    assert.deepEqual(sizes, [2]);
    assert.deepEqual(observed, [2]);
  });
});
