// The delivery worker. It claims due deliveries in batches, keeps them in a small local queue,
// and sends them with up to `maxInFlight` requests at once, at most `perEndpoint` of them to one
// endpoint and `perUser` to one user's endpoints, so an endpoint that never answers holds a few
// slots, never all of them; users take turns for free slots, and each endpoint's deliveries
// start in queue order. It holds at most HOLD times what it can send at once (per user too), so
// a held delivery starts within HOLD - 1 attempts' time, a lease only has to cover that plus one
// attempt, and a crashed worker's deliveries are free again soon.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Dispatcher } from 'undici';
import type { DB } from '../../db/schema.js';
import { DELIVERY_TIMEOUT_MS } from '../../integrations/webhooks/deliver.js';
import { attemptDelivery, type AttemptContext, type AttemptReport } from './attempt.js';
import { claimDue, releaseLeases, type ClaimedDelivery } from './claim.js';
import type { WebhooksDb } from './db.js';
import { recordAttempt } from './record.js';
import { BatchRecorder } from './record-batch.js';
import { DEFAULT_CIRCUIT, type CircuitPolicy } from './circuit.js';

export type { AttemptReport } from './attempt.js';

export interface WorkerLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface DeliveryWorkerOptions {
  db: Kysely<DB>;
  /** A guarded dispatcher: it re-checks the SSRF policy on every connection. */
  dispatcher: Dispatcher;
  schedule: readonly number[];
  clock?: () => Date;
  /** This worker's id in locked_by; random by default. */
  id?: string;
  /** Requests in flight at once, over all endpoints. */
  maxInFlight?: number;
  /** Requests in flight at once to one endpoint. */
  perEndpoint?: number;
  /** Requests in flight at once to one user's endpoints together. */
  perUser?: number;
  circuit?: CircuitPolicy;
  timeoutMs?: number;
  /** Lease slack per attempt, for signing, scheduling and recording. */
  leaseSlackMs?: number;
  /** Poll interval while nothing was found recently. */
  idlePollMs?: number;
  /** Poll interval for `busyWindowMs` after something was found. */
  busyPollMs?: number;
  busyWindowMs?: number;
  log?: WorkerLog;
  /** Opens signing secrets sealed at rest (container.secrets); identity by default. */
  openSecret?: (stored: string) => string;
  onAttempt?: (report: AttemptReport) => void;
}

interface Held {
  delivery: ClaimedDelivery;
  leaseUntilMs: number;
}

const silent: WorkerLog = { error() {}, warn() {} };

/** Claimed deliveries held per request slot: enough that the queue refills before it runs dry. */
const HOLD = 3;

export class DeliveryWorker {
  readonly id: string;
  readonly #db: WebhooksDb;
  readonly #o: Required<Omit<DeliveryWorkerOptions, 'db' | 'id' | 'onAttempt'>> & Pick<DeliveryWorkerOptions, 'onAttempt'>;
  readonly #ctx: AttemptContext;
  /** Claimed, not yet started, in queue order. */
  #queue: Held[] = [];
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #perEndpoint = new Map<string, number>();
  readonly #perUser = new Map<string, number>();
  /** Timeouts in a row per endpoint seen here, mirroring the breaker kept in the database. */
  readonly #timeouts = new Map<string, number>();
  #started = false;
  #stopping = false;
  #tick: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | null = null;
  #lastFoundMs = 0;
  #lastClaimMs = 0;
  /** Earliest retry this worker scheduled; the timer fires for it even between polls. */
  #soonestRetryMs: number | null = null;

  constructor(opts: DeliveryWorkerOptions) {
    this.#db = opts.db;
    this.id = opts.id ?? `w_${randomBytes(9).toString('base64url')}`;
    this.#o = {
      dispatcher: opts.dispatcher,
      schedule: opts.schedule,
      clock: opts.clock ?? (() => new Date()),
      maxInFlight: opts.maxInFlight ?? 16,
      perEndpoint: opts.perEndpoint ?? 2,
      perUser: opts.perUser ?? 4,
      circuit: opts.circuit ?? DEFAULT_CIRCUIT,
      timeoutMs: opts.timeoutMs ?? DELIVERY_TIMEOUT_MS,
      leaseSlackMs: opts.leaseSlackMs ?? 5_000,
      idlePollMs: opts.idlePollMs ?? 1_000,
      busyPollMs: opts.busyPollMs ?? 200,
      busyWindowMs: opts.busyWindowMs ?? 10_000,
      log: opts.log ?? silent,
      onAttempt: opts.onAttempt,
      openSecret: opts.openSecret ?? ((s) => s),
    };
    const batch = new BatchRecorder(this.#db, this.#o.circuit);
    this.#ctx = {
      db: this.#db,
      dispatcher: this.#o.dispatcher,
      schedule: this.#o.schedule,
      clock: this.#o.clock,
      owner: this.id,
      timeoutMs: this.#o.timeoutMs,
      openSecret: this.#o.openSecret,
      // Disabling an endpoint also parks its queue, in a transaction of its own, at once.
      record: (w) => (w.decision.disable ? recordAttempt(this.#db, w) : batch.record(w)),
    };
  }

  get leaseMs(): number {
    return HOLD * (this.#o.timeoutMs + this.#o.leaseSlackMs);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Requests out for one user's endpoints right now. */
  inFlightFor(userId: string): number {
    return this.#perUser.get(userId) ?? 0;
  }

  get #held(): number {
    return this.#queue.length + this.#inFlight.size;
  }

  /**
   * Requests this worker can have out for the users it holds deliveries for: with the per-user
   * cap, one user's backlog fills only `perUser` slots, and the queue counts as running low
   * against that, not against every slot (or each finished attempt would set off a claim).
   */
  get #capacity(): number {
    const users = new Set([...this.#perUser.keys(), ...this.#queue.map((h) => h.delivery.userId)]);
    return Math.min(this.#o.maxInFlight, Math.max(1, users.size) * this.#o.perUser);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.wake();
  }

  /** Looks for due deliveries now (a notification arrived, or the local queue ran low). */
  wake(): void {
    if (!this.#started || this.#stopping) return;
    if (this.#tick) {
      this.#again = true;
      return;
    }
    this.#tick = this.#runTick();
  }

  /** Stops claiming, hands back what was claimed but not started, and waits for the attempts in flight. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tick;
    await this.#release(this.#queue.splice(0));
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  async #runTick(): Promise<void> {
    try {
      do {
        this.#again = false;
        await this.#claim();
        this.#pump();
      } while (this.#again && !this.#stopping);
    } catch (err) {
      this.#o.log.error({ err }, 'webhook worker could not claim deliveries');
    } finally {
      this.#tick = null;
      this.#arm();
    }
  }

  async #claim(): Promise<void> {
    const room = HOLD * this.#o.maxInFlight - this.#held;
    if (this.#stopping || room <= 0) return;
    // A claim is the costliest statement here, so it is made in batches: once the local queue
    // runs low, or at poll pace while request slots are free (an endpoint at its limit must
    // not keep other endpoints' deliveries waiting for its slow answers).
    const lowWater = this.#held <= this.#capacity;
    const pollDue = Date.now() - this.#lastClaimMs >= this.#o.busyPollMs && this.#inFlight.size < this.#o.maxInFlight;
    if (!lowWater && !pollDue) return;
    this.#lastClaimMs = Date.now();
    const now = this.#o.clock();
    const leaseUntilMs = now.getTime() + this.leaseMs;
    const claimed = await claimDue(this.#db, {
      now,
      leaseUntil: new Date(leaseUntilMs),
      owner: this.id,
      limit: room,
      perEndpoint: HOLD * this.#o.perEndpoint,
      perUser: HOLD * Math.min(this.#o.perUser, this.#o.maxInFlight),
      probeAfterTimeouts: this.#o.circuit.timeouts,
    });
    if (!claimed.length) return;
    this.#lastFoundMs = Date.now();
    const mine = new Set([...this.#inFlight.keys(), ...this.#queue.map((h) => h.delivery.id)]);
    for (const delivery of claimed) {
      // Only possible after a stall longer than a lease: the claim just renewed a delivery this
      // worker already holds, which must not be sent a second time.
      if (!mine.has(delivery.id)) this.#queue.push({ delivery, leaseUntilMs });
    }
    // A full scan window may have been one user's backlog, now at its cap: look again at once.
    if (claimed.length === room || claimed.windowFull) this.#again = true;
  }

  /**
   * Starts queued deliveries while there is room: the user with the fewest requests out goes
   * first (oldest delivery on ties), skipping endpoints and users at their limit.
   */
  #pump(): void {
    if (this.#stopping) return;
    const expired: Held[] = [];
    while (this.#inFlight.size < this.#o.maxInFlight) {
      let best = -1;
      let bestBusy = Infinity;
      for (let i = 0; i < this.#queue.length; i++) {
        const d = this.#queue[i].delivery;
        const userBusy = this.#perUser.get(d.userId) ?? 0;
        if (userBusy >= this.#o.perUser || (this.#perEndpoint.get(d.webhookId) ?? 0) >= this.#o.perEndpoint) continue;
        if (userBusy < bestBusy) [best, bestBusy] = [i, userBusy];
        if (userBusy === 0) break;
      }
      if (best < 0) break;
      const [held] = this.#queue.splice(best, 1);
      if (this.#o.clock().getTime() + this.#o.timeoutMs + this.#o.leaseSlackMs > held.leaseUntilMs) {
        // Too little lease left to finish: another worker could claim it mid-attempt.
        expired.push(held);
      } else {
        this.#start(held.delivery);
      }
    }
    if (expired.length) void this.#release(expired);
  }

  /** Counts timeouts in a row; once the breaker opens, the endpoint's queued deliveries are handed back. */
  #noteOutcome(report: AttemptReport): void {
    const endpoint = report.webhookId;
    if (!report.result.timedOut) {
      if (report.result.statusCode !== null) this.#timeouts.delete(endpoint);
      return;
    }
    const streak = (this.#timeouts.get(endpoint) ?? 0) + 1;
    this.#timeouts.set(endpoint, streak);
    if (streak < this.#o.circuit.timeouts) return;
    const parked = this.#queue.filter((h) => h.delivery.webhookId === endpoint);
    if (!parked.length) return;
    this.#queue = this.#queue.filter((h) => h.delivery.webhookId !== endpoint);
    void this.#release(parked);
  }

  #start(d: ClaimedDelivery): void {
    this.#perEndpoint.set(d.webhookId, (this.#perEndpoint.get(d.webhookId) ?? 0) + 1);
    this.#perUser.set(d.userId, (this.#perUser.get(d.userId) ?? 0) + 1);
    const running = attemptDelivery(this.#ctx, d)
      .then((report) => {
        if (!report) return;
        if (!report.recorded) this.#o.log.warn({ deliveryId: d.id }, 'webhook lease passed to another worker during the attempt');
        if (report.decision.disable) {
          // Its queued deliveries were parked in the database with the endpoint; none may go out.
          this.#queue = this.#queue.filter((h) => h.delivery.webhookId !== d.webhookId);
        }
        this.#noteOutcome(report);
        if (report.decision.nextAttemptAt) this.#noteRetry(report.decision.nextAttemptAt.getTime() - this.#o.clock().getTime());
        this.#o.onAttempt?.(report);
      })
      .catch((err) => {
        // The lease stays; once it expires the delivery is claimed and sent again.
        this.#o.log.error({ err, deliveryId: d.id }, 'webhook attempt could not be recorded');
      })
      .finally(() => {
        this.#inFlight.delete(d.id);
        const left = (this.#perEndpoint.get(d.webhookId) ?? 1) - 1;
        if (left > 0) this.#perEndpoint.set(d.webhookId, left);
        else this.#perEndpoint.delete(d.webhookId);
        const userLeft = (this.#perUser.get(d.userId) ?? 1) - 1;
        if (userLeft > 0) this.#perUser.set(d.userId, userLeft);
        else this.#perUser.delete(d.userId);
        this.#pump();
        if (this.#held <= this.#capacity) this.wake();
      });
    this.#inFlight.set(d.id, running);
  }

  async #release(held: Held[]): Promise<void> {
    await releaseLeases(
      this.#db,
      held.map((h) => h.delivery.id),
      this.id,
    ).catch((err) => this.#o.log.error({ err }, 'webhook worker could not release leases'));
  }

  #noteRetry(inMs: number): void {
    const at = Date.now() + Math.max(0, inMs);
    if (this.#soonestRetryMs === null || at < this.#soonestRetryMs) this.#soonestRetryMs = at;
  }

  #arm(): void {
    if (this.#stopping) return;
    if (this.#timer) clearTimeout(this.#timer);
    const nowMs = Date.now();
    let delay = nowMs - this.#lastFoundMs < this.#o.busyWindowMs ? this.#o.busyPollMs : this.#o.idlePollMs;
    if (this.#soonestRetryMs !== null) {
      delay = Math.min(delay, Math.max(0, this.#soonestRetryMs - nowMs + 5));
      // Consumed by the tick this timer starts; later retries are noted again as they are scheduled.
      if (this.#soonestRetryMs <= nowMs + delay) this.#soonestRetryMs = null;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.wake();
    }, delay);
    // The worker must never be what keeps a process alive.
    this.#timer.unref();
  }
}
