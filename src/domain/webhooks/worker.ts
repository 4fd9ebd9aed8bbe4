// The delivery worker: claims due deliveries, sends them, records every attempt. It keeps up to
// `maxInFlight` requests going, at most `perEndpoint` of them to one endpoint, and claims only
// what it can start at once, so a lease need only outlast one attempt and a crashed worker's
// deliveries are free again within seconds. Deliveries to one endpoint start in queue order.
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
  /** False when the delivery had changed hands or been parked by the time the attempt was recorded. */
  recorded: boolean;
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
  timeoutMs?: number;
  /** Lease slack on top of the timeout, for signing, scheduling and recording the attempt. */
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
  readonly id: string;
  readonly #db: WebhooksDb;
  readonly #o: Required<Omit<DeliveryWorkerOptions, 'db' | 'id' | 'onAttempt'>> & Pick<DeliveryWorkerOptions, 'onAttempt'>;
  readonly #inFlight = new Map<string, Promise<void>>();
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
    this.id = opts.id ?? `w_${randomBytes(9).toString('base64url')}`;
    this.#o = {
      dispatcher: opts.dispatcher,
      schedule: opts.schedule,
      clock: opts.clock ?? (() => new Date()),
      maxInFlight: opts.maxInFlight ?? 8,
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

  /** Every claimed delivery is sent at once, so the lease only has to outlast one attempt. */
  get leaseMs(): number {
    return this.#o.timeoutMs + this.#o.leaseSlackMs;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.wake();
  }

  /** Looks for due deliveries now (a notification arrived, or a slot freed up). */
  wake(): void {
    if (!this.#started || this.#stopping) return;
    if (this.#tick) {
      this.#again = true;
      return;
    }
    this.#tick = this.#runTick();
  }

  /** Stops claiming and waits for the attempts in flight to finish and be recorded. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tick;
    await Promise.allSettled([...this.#inFlight.values()]);
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
    const free = this.#o.maxInFlight - this.#inFlight.size;
    if (free <= 0 || this.#stopping) return;
    const now = this.#o.clock();
    const claimed = await claimDue(this.#db, {
      now,
      leaseUntil: new Date(now.getTime() + this.leaseMs),
      owner: this.id,
      limit: free,
      perEndpoint: this.#o.perEndpoint,
    });
    if (!claimed.length) return;
    this.#lastFoundMs = Date.now();
    if (this.#stopping) {
      await releaseLeases(
        this.#db,
        claimed.map((d) => d.id),
        this.id,
      );
      return;
    }
    // Started in claim order, which is queue order, so one endpoint's deliveries go out in order.
    for (const d of claimed) {
      const running = this.#attempt(d)
        .catch((err) => {
          // The lease stays; once it expires the delivery is claimed and sent again.
          this.#o.log.error({ err, deliveryId: d.id }, 'webhook attempt could not be recorded');
        })
        .finally(() => {
          this.#inFlight.delete(d.id);
          this.wake();
        });
      this.#inFlight.set(d.id, running);
    }
    // A full claim suggests more is due; the loop stops once no slot is free.
    if (claimed.length === free) this.#again = true;
  }

  async #attempt(d: ClaimedDelivery): Promise<void> {
    if (d.endpointDeletedAt || d.endpointDisabledAt) {
      await parkClaimed(this.#db, d.id, this.id, d.endpointDeletedAt ? 'webhook deleted' : 'endpoint disabled');
      return;
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
    const recorded = await recordAttempt(this.#db, {
      deliveryId: d.id,
      webhookId: d.webhookId,
      owner: this.id,
      attempt,
      attemptedAt,
      result,
      decision,
      failingSince: d.failingSince,
      now,
    });
    if (!recorded) this.#o.log.warn({ deliveryId: d.id }, 'webhook delivery changed hands or was parked during its attempt');
    if (decision.nextAttemptAt) this.#noteRetry(decision.nextAttemptAt.getTime() - now.getTime());
    this.#o.onAttempt?.({ deliveryId: d.id, webhookId: d.webhookId, event: d.event, attempt, result, decision, recorded });
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
