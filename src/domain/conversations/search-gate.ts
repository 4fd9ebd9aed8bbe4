// Searches over a user's transcripts are the API's expensive reads: at most `perUser` of one user's
// and `total` of all users' run against the database at once; the rest wait their turn (first come,
// first served). So searches never hold every pooled connection, and one user's burst of searches
// queues behind itself instead of in front of everyone else.
export class SearchGate {
  private running = 0;
  private readonly perUserRunning = new Map<string, number>();
  private readonly waiting: Array<{ userId: string; go: () => void }> = [];

  constructor(
    private readonly total: number,
    private readonly perUser: number,
  ) {}

  async run<T>(userId: string, work: () => Promise<T>): Promise<T> {
    if (this.canStart(userId)) this.take(userId);
    // A slot is taken for the waiter when it is woken, so no one can slip in between.
    else await new Promise<void>((go) => this.waiting.push({ userId, go }));
    try {
      return await work();
    } finally {
      this.running--;
      const n = this.perUserRunning.get(userId)! - 1;
      if (n) this.perUserRunning.set(userId, n);
      else this.perUserRunning.delete(userId);
      this.wake();
    }
  }

  /** Searches running and waiting, for tests and metrics. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private canStart(userId: string): boolean {
    return this.running < this.total && (this.perUserRunning.get(userId) ?? 0) < this.perUser;
  }

  private take(userId: string): void {
    this.running++;
    this.perUserRunning.set(userId, (this.perUserRunning.get(userId) ?? 0) + 1);
  }

  /** Starts the oldest waiting searches that may run now; a user at their limit does not hold up others. */
  private wake(): void {
    for (let i = 0; i < this.waiting.length && this.running < this.total; ) {
      const w = this.waiting[i];
      if (!this.canStart(w.userId)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.take(w.userId);
      w.go();
    }
  }
}
