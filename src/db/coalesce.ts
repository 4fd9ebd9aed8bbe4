/** A batch output that fails only its own call (the others in the batch still get their results). */
export class ItemFailure {
  constructor(readonly error: unknown) {}
}

interface Waiter<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

interface Lane<I, O> {
  inFlight: number;
  queue: Waiter<I, O>[];
}

/**
 * Group commit for hot statements. Calls with the same key made in one event-loop turn, or while
 * that key's statement is in flight, go out together as the next statement: under load one round
 * trip answers many requests, while a lone request waits only for the end of the current turn.
 *
 * Every call is answered by a statement that starts after the call was made, so anything committed
 * before a request arrived is seen by it: batching never serves a stale read.
 */
export class Coalescer<K, I, O> {
  readonly #lanes = new Map<K, Lane<I, O>>();

  readonly #maxInFlight: number;
  readonly #maxBatch: number;
  readonly #onBatch: (size: number) => void;

  /** `run` answers `items` in order: one output (or ItemFailure) per item. */
  constructor(
    private readonly run: (key: K, items: I[]) => Promise<(O | ItemFailure)[]>,
    opts: {
      /** Statements of one key in flight at once; more overlap round trips but make smaller batches. */
      maxInFlight?: number;
      maxBatch?: number;
      /** Called with each batch's size as it is sent (for metrics). */
      onBatch?: (size: number) => void;
    } = {},
  ) {
    this.#maxInFlight = opts.maxInFlight ?? 1;
    this.#maxBatch = opts.maxBatch ?? 256;
    this.#onBatch = opts.onBatch ?? (() => {});
  }

  call(key: K, item: I): Promise<O> {
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = { inFlight: 0, queue: [] };
      this.#lanes.set(key, lane);
    }
    const promise = new Promise<O>((resolve, reject) => lane.queue.push({ item, resolve, reject }));
    if (lane.inFlight < this.#maxInFlight) void this.#drain(key, lane);
    return promise;
  }

  async #drain(key: K, lane: Lane<I, O>): Promise<void> {
    lane.inFlight++;
    try {
      while (lane.queue.length > 0) {
        // Let the rest of this event-loop turn's input (requests already read off the sockets)
        // join the batch first. This matters most where the database runs on this thread
        // (PGlite): a statement blocks the loop, so requests arrive in bursts between statements.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = lane.queue.splice(0, this.#maxBatch);
        if (batch.length === 0) break; // another statement in flight took them during the wait
        this.#onBatch(batch.length);
        try {
          const out = await this.run(
            key,
            batch.map((w) => w.item),
          );
          if (out.length !== batch.length) throw new Error(`batch of ${batch.length} answered with ${out.length} results`);
          batch.forEach((w, i) => {
            const o = out[i];
            if (o instanceof ItemFailure) w.reject(o.error);
            else w.resolve(o);
          });
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      lane.inFlight--;
      if (lane.queue.length === 0 && lane.inFlight === 0) this.#lanes.delete(key);
    }
  }
}
