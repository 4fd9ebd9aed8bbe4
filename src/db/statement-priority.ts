import { AsyncLocalStorage } from 'node:async_hooks';

// Which statements may wait. The embedded database runs one statement at a time, so a search's
// statements (tens to hundreds of milliseconds on a large account) would otherwise sit in front of
// every short request that arrives behind them. Code run through `inBackground` marks its statements
// as ones that yield their turn to the others (see the PGlite driver's lock); PostgreSQL, with a pool
// of connections, ignores the mark.

const background = new AsyncLocalStorage<boolean>();

/** Runs `fn` with its database statements marked as able to wait behind interactive ones. */
export function inBackground<T>(fn: () => Promise<T>): Promise<T> {
  return background.run(true, fn);
}

/** Whether the statement being issued now was marked by `inBackground`. */
export function isBackground(): boolean {
  return background.getStore() === true;
}
