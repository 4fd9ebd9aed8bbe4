// Admission to the analysis threads (and to PostgreSQL for list searches), fair between users. Piscina alone runs tasks first come,
// first served, so six key-point runs on a huge transcript by one user kept every other user's
// three-line request waiting behind them. Here each user has at most `perUser` tasks running;
// a free thread goes to the waiting user with the fewest tasks running, small tasks before large
// ones, then the oldest; and small tasks have one extra thread of their own (the express lane),
// so they start at once even when large ones fill every other thread.
import { AppError } from './errors.js';

export interface FairQueueOptions {
  /** Threads for tasks of any size. */
  threads: number;
  /** Tasks one user may have running at once. */
  perUser: number;
  /** Tasks of at most this size are small: they may also use the extra thread. */
  smallSize: number;
}

export interface Admission {
  /** Gives the thread back; idempotent. */
  release: () => void;
  /** Admitted to the thread kept for small tasks. */
  express: boolean;
}

interface Waiting {
  user: string;
  small: boolean;
  seq: number;
  admit: (admission: Admission) => void;
}

export const cancelledError = () => new AppError('service_unavailable', 'The request was cancelled because the client went away');

export class FairQueue {
  readonly #o: FairQueueOptions;
  #waiting: Waiting[] = [];
  readonly #running = new Map<string, number>();
  #general = 0;
  #express = 0;
  #seq = 0;

  constructor(o: FairQueueOptions) {
    this.#o = { ...o, threads: Math.max(1, o.threads), perUser: Math.max(1, o.perUser) };
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Tasks admitted and not yet released. */
  get running(): number {
    return this.#general + this.#express;
  }

  /**
   * Waits for a thread. A task whose signal aborts while it waits leaves the queue and rejects,
   * so abandoned work never takes a thread.
   */
  acquire(user: string, size: number, signal?: AbortSignal): Promise<Admission> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    return new Promise((resolve, reject) => {
      const entry: Waiting = { user, small: size <= this.#o.smallSize, seq: this.#seq++, admit: resolve };
      const onAbort = () => {
        const i = this.#waiting.indexOf(entry);
        if (i < 0) return;
        this.#waiting.splice(i, 1);
        reject(cancelledError());
      };
      entry.admit = (admission) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(admission);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(entry);
      this.#drain();
    });
  }

  #drain(): void {
    for (;;) {
      const next = this.#pick();
      if (!next) return;
      this.#waiting.splice(this.#waiting.indexOf(next.entry), 1);
      const { user } = next.entry;
      this.#running.set(user, (this.#running.get(user) ?? 0) + 1);
      if (next.express) this.#express++;
      else this.#general++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const left = (this.#running.get(user) ?? 1) - 1;
        if (left > 0) this.#running.set(user, left);
        else this.#running.delete(user);
        if (next.express) this.#express--;
        else this.#general--;
        this.#drain();
      };
      next.entry.admit({ release, express: next.express });
    }
  }

  #pick(): { entry: Waiting; express: boolean } | null {
    const generalFree = this.#general < this.#o.threads;
    const expressFree = this.#express < 1;
    if (!generalFree && !expressFree) return null;
    let best: Waiting | null = null;
    let bestKey: [number, number, number] | null = null;
    for (const w of this.#waiting) {
      const running = this.#running.get(w.user) ?? 0;
      if (running >= this.#o.perUser) continue;
      if (!generalFree && !w.small) continue;
      const key: [number, number, number] = [running, w.small ? 0 : 1, w.seq];
      if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))) {
        best = w;
        bestKey = key;
      }
    }
    if (!best) return null;
    // Small tasks take the express lane first, leaving the general threads to large ones.
    return { entry: best, express: expressFree && best.small };
  }
}
