// The delivery worker: claims due deliveries, sends them, records every attempt. Each claimed
// endpoint gets a lane that sends its deliveries one after another (so one receiver sees events
// in order), and up to `lanes` endpoints are served at once.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Dispatcher } from 'undici';
import type { DB } from '../../db/schema.js';
import { deliverOnce, DELIVERY_TIMEOUT_MS, type DeliveryResult } from '../../integrations/webhooks/deliver.js';
import { signedHeaders } from '../../integrations/webhooks/signing.js';
import { claimDue, releaseLeases, type ClaimedDelivery } from './claim.js';
import { webhooksDb, type WebhooksDb } from './db.js';
import { decide, parkClaimed, recordAttempt, type Decision } from './record.js';

export interface WorkerLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface AttemptReport {
  deliveryId: string;
  webhookId: string;
  event: string;
  attempt: number;
  result: DeliveryResult;
  decision: Decision;
}

export interface DeliveryWorkerOptions {
  db: Kysely<DB>;
  /** A guarded dispatcher: it re-checks the SSRF policy on every connection. */
  dispatcher: Dispatcher;
  schedule: readonly number[];
  clock?: () => Date;
  newToken?: () => string;
  /** Endpoints served at once. */
  lanes?: number;
  /** Deliveries one lane takes per claim. */
  perEndpoint?: number;
  timeoutMs?: number;
  /** Slack per attempt on top of the timeout when sizing the lease (database writes, scheduling). */
  leaseSlackMs?: number;
  /** Poll interval while nothing was found recently. */
  idlePollMs?: number;
  /** Poll interval for `busyWindowMs` after something was found. */
  busyPollMs?: number;
  busyWindowMs?: number;
  log?: WorkerLog;
  onAttempt?: (report: AttemptReport) => void;
}

const silent: WorkerLog = { error() {}, warn() {} };

export class DeliveryWorker {
  readonly #db: WebhooksDb;
  readonly #o: Required<Omit<DeliveryWorkerOptions, 'db' | 'onAttempt'>> & Pick<DeliveryWorkerOptions, 'onAttempt'>;
  readonly #lanes = new Map<string, Promise<void>>();
  #started = false;
  #stopping = false;
  #tick: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | null = null;
  #lastFoundMs = 0;
  /** Earliest retry this worker scheduled; the timer fires for it even between polls. */
  #soonestRetryMs: number | null = null;

  constructor(opts: DeliveryWorkerOptions) {
    this.#db = webhooksDb(opts.db);
    this.#o = {
      dispatcher: opts.dispatcher,
      schedule: opts.schedule,
      clock: opts.clock ?? (() => new Date()),
      newToken: opts.newToken ?? (() => randomBytes(12).toString('base64url')),
      lanes: opts.lanes ?? 8,
      perEndpoint: opts.perEndpoint ?? 4,
      timeoutMs: opts.timeoutMs ?? DELIVERY_TIMEOUT_MS,
      leaseSlackMs: opts.leaseSlackMs ?? 5_000,
      idlePollMs: opts.idlePollMs ?? 1_000,
      busyPollMs: opts.busyPollMs ?? 200,
      busyWindowMs: opts.busyWindowMs ?? 10_000,
      log: opts.log ?? silent,
      onAttempt: opts.onAttempt,
    };
  }

  /** Long enough for a whole lane: every attempt may run into the timeout. */
  get leaseMs(): number {
    return this.#o.perEndpoint * (this.#o.timeoutMs + this.#o.leaseSlackMs);
  }

  get inFlight(): number {
    return this.#lanes.size;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.wake();
  }

  /** Looks for due deliveries now (a notification arrived, or a lane freed up). */
  wake(): void {
    if (!this.#started || this.#stopping) return;
    if (this.#tick) {
      this.#again = true;
      return;
    }
    this.#tick = this.#runTick();
  }

  /** Stops claiming, lets in-flight attempts finish, and hands back leases not yet used. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tick;
    await Promise.allSettled([...this.#lanes.values()]);
  }

  async #runTick(): Promise<void> {
    try {
      do {
        this.#again = false;
        await this.#fill();
      } while (this.#again && !this.#stopping);
    } catch (err) {
      this.#o.log.error({ err }, 'webhook worker could not claim deliveries');
    } finally {
      this.#tick = null;
      this.#arm();
    }
  }

  async #fill(): Promise<void> {
    const free = this.#o.lanes - this.#lanes.size;
    if (free <= 0 || this.#stopping) return;
    const now = this.#o.clock();
    const lease = { token: this.#o.newToken(), until: new Date(now.getTime() + this.leaseMs) };
    const claimed = await claimDue(this.#db, { now, leaseUntil: lease.until, token: lease.token, endpoints: free, perEndpoint: this.#o.perEndpoint });
    if (!claimed.length) return;
    this.#lastFoundMs = Date.now();
    const byEndpoint = new Map<string, ClaimedDelivery[]>();
    for (const d of claimed) {
      const lane = byEndpoint.get(d.webhookId);
      if (lane) lane.push(d);
      else byEndpoint.set(d.webhookId, [d]);
    }
    for (const [webhookId, items] of byEndpoint) {
      const lane = this.#runLane(items, lease).finally(() => {
        this.#lanes.delete(webhookId);
        this.wake();
      });
      this.#lanes.set(webhookId, lane);
    }
    // A full claim suggests more is due; a partial one means the backlog is drained for now.
    if (byEndpoint.size === free || claimed.length === free * this.#o.perEndpoint) this.#again = true;
  }

  async #runLane(items: ClaimedDelivery[], lease: { token: string; until: Date }): Promise<void> {
    for (let i = 0; i < items.length; i++) {
      const worstCaseEnd = this.#o.clock().getTime() + this.#o.timeoutMs + this.#o.leaseSlackMs;
      // Starting an attempt that could outlive the lease would let another worker send it too.
      if (this.#stopping || worstCaseEnd > lease.until.getTime()) {
        await releaseLeases(
          this.#db,
          items.slice(i).map((d) => d.id),
          lease.token,
        ).catch((err) => this.#o.log.error({ err }, 'webhook worker could not release leases'));
        return;
      }
      let carryOn = true;
      try {
        carryOn = await this.#deliver(items[i], lease.token);
      } catch (err) {
        // The lease stays; once it expires the delivery is claimed and sent again.
        this.#o.log.error({ err, deliveryId: items[i].id }, 'webhook attempt could not be recorded');
      }
      if (!carryOn) {
        // The endpoint was just disabled, or this claim no longer owns its rows: what is left
        // was parked or belongs to someone else, so none of it may be sent from here.
        await releaseLeases(
          this.#db,
          items.slice(i + 1).map((d) => d.id),
          lease.token,
        ).catch((err) => this.#o.log.error({ err }, 'webhook worker could not release leases'));
        return;
      }
    }
  }

  /** Sends one delivery and records the attempt; false when the rest of the lane must not be sent. */
  async #deliver(d: ClaimedDelivery, token: string): Promise<boolean> {
    if (d.endpointDeletedAt || d.endpointDisabledAt) {
      await parkClaimed(this.#db, d.id, token, d.endpointDeletedAt ? 'webhook deleted' : 'endpoint disabled');
      return true;
    }
    const attemptedAt = this.#o.clock();
    const attempt = d.attempts + 1;
    let result: DeliveryResult;
    try {
      const headers = signedHeaders({ secret: d.secret, eventType: d.event, msgId: d.id, nowMs: attemptedAt.getTime(), rawBody: d.payload });
      result = await deliverOnce({ url: d.url, headers, body: d.payload, dispatcher: this.#o.dispatcher, timeoutMs: this.#o.timeoutMs });
    } catch (err) {
      result = { ok: false, statusCode: null, latencyMs: 0, retryAfterSeconds: null, error: (err as Error).message, responseSnippet: null };
    }
    const now = this.#o.clock();
    const decision = decide({
      result,
      attempt,
      retryBase: d.retryBase,
      failingSince: d.failingSince,
      attemptedAt,
      nowMs: now.getTime(),
      schedule: this.#o.schedule,
    });
    const kept = await recordAttempt(this.#db, {
      deliveryId: d.id,
      webhookId: d.webhookId,
      token,
      attempt,
      attemptedAt,
      result,
      decision,
      failingSince: d.failingSince,
      now,
    });
    if (!kept) this.#o.log.warn({ deliveryId: d.id }, 'webhook delivery changed hands or was parked during its attempt');
    if (decision.nextAttemptAt) this.#noteRetry(decision.nextAttemptAt.getTime() - now.getTime());
    this.#o.onAttempt?.({ deliveryId: d.id, webhookId: d.webhookId, event: d.event, attempt, result, decision });
    return kept && decision.disable === null;
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
