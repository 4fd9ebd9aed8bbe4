// The embedded database's statement lock: one holder at a time; interactive statements waiting go
// before background ones (searches), which still get a turn after a few interactive ones; a
// background statement waits one turn of the event loop after an interactive one ends, so that
// request's next statement keeps its place; `inBackground` marks the statements of the code it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatementLock } from '../../src/db/pglite-driver.js';
import { inBackground, isBackground } from '../../src/db/statement-priority.js';

const tick = () => new Promise((r) => setImmediate(r));

/** Queues one waiter that records its turn and holds the lock until it is let go. */
function waiter(lock: StatementLock, name: string, background: boolean, order: string[]) {
  let release: (() => void) | null = null;
  const granted = lock.acquire(background).then((r) => {
    order.push(name);
    release = r;
  });
  return { granted, done: async () => { await granted; release!(); } };
}

test('one holder at a time; interactive waiters go before background ones queued earlier', async () => {
  const lock = new StatementLock();
  const order: string[] = [];
  const first = waiter(lock, 'first', true, order);
  await first.granted;
  const b1 = waiter(lock, 'b1', true, order);
  const b2 = waiter(lock, 'b2', true, order);
  const i1 = waiter(lock, 'i1', false, order);
  const i2 = waiter(lock, 'i2', false, order);
  await tick();
  assert.deepEqual(order, ['first'], 'nobody else holds it while it is held');
  assert.deepEqual(lock.waiting, { interactive: 2, background: 2 });
  await first.done();
  await i1.done();
  await i2.done();
  await b1.done();
  await b2.done();
  assert.deepEqual(order, ['first', 'i1', 'i2', 'b1', 'b2']);
});

test('background waiters are not starved: one goes after four interactive turns in a row', async () => {
  const lock = new StatementLock();
  const order: string[] = [];
  const holder = waiter(lock, 'holder', false, order);
  await holder.granted;
  const bg = waiter(lock, 'bg', true, order);
  const interactive = Array.from({ length: 6 }, (_, i) => waiter(lock, `i${i}`, false, order));
  await holder.done();
  for (const w of interactive.slice(0, 4)) await w.done();
  await bg.done();
  for (const w of interactive.slice(4)) await w.done();
  assert.deepEqual(order, ['holder', 'i0', 'i1', 'i2', 'i3', 'bg', 'i4', 'i5']);
});

test("after an interactive statement, a request's next statement asked for at once goes before a waiting background one", async () => {
  const lock = new StatementLock();
  const order: string[] = [];
  const step1 = waiter(lock, 'request step 1', false, order);
  await step1.granted;
  const bg = waiter(lock, 'search', true, order);
  await step1.done();
  // The same request's next statement, asked for in the same turn of the event loop.
  const step2 = waiter(lock, 'request step 2', false, order);
  await step2.done();
  await bg.done();
  assert.deepEqual(order, ['request step 1', 'request step 2', 'search']);
});

test('with nothing interactive waiting, background statements run in order of arrival', async () => {
  const lock = new StatementLock();
  const order: string[] = [];
  const ws = ['a', 'b', 'c'].map((n) => waiter(lock, n, true, order));
  for (const w of ws) await w.done();
  assert.deepEqual(order, ['a', 'b', 'c']);
});

test('inBackground marks the statements of the code it runs, across awaits, and nothing outside it', async () => {
  assert.equal(isBackground(), false);
  const inside = await inBackground(async () => {
    await tick();
    return isBackground();
  });
  assert.equal(inside, true);
  assert.equal(isBackground(), false);
});
