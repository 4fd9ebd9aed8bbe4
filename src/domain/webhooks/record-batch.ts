// Recording attempts in batches. Under load many attempts finish close together; writing them
// with one statement instead of one each is most of what keeps delivery cheap for the database,
// which on PGlite shares one thread with the API. No attempt waits for a batch to fill: the
// first is written at once, and whatever finishes meanwhile goes into the next statement.
import { sql } from 'kysely';
import type { WebhooksDb } from './db.js';
import type { AttemptWrite } from './record.js';
import { DEFAULT_CIRCUIT, MAX_COOLDOWN_DOUBLINGS, type CircuitPolicy } from './circuit.js';

interface EndpointHealth {
  id: string;
  /** A success in the batch: the failing streak ends. */
  healed: boolean;
  /** Only failures: the streak starts here if none is running. */
  failingAt: Date | null;
  /** Some attempt got an HTTP answer: the breaker closes. */
  answered: boolean;
  timeouts: number;
}

function endpointHealth(writes: AttemptWrite[]): EndpointHealth[] {
  const byId = new Map<string, EndpointHealth>();
  for (const w of writes) {
    const e = byId.get(w.webhookId) ?? { id: w.webhookId, healed: false, failingAt: null, answered: false, timeouts: 0 };
    byId.set(w.webhookId, e);
    if (w.result.ok) e.healed = true;
    else if (!e.failingAt || w.attemptedAt < e.failingAt) e.failingAt = w.attemptedAt;
    if (w.result.statusCode !== null) e.answered = true;
    if (w.result.timedOut) e.timeouts++;
  }
  for (const e of byId.values()) if (e.healed) e.failingAt = null;
  return [...byId.values()];
}

/**
 * Writes the attempt rows, the deliveries' new state and the endpoints' health in one
 * statement. Returns the ids whose lease was still held (their state was updated); attempt rows
 * are kept for all, since the requests were made. Not for attempts that disable an endpoint.
 */
export async function recordAttempts(db: WebhooksDb, writes: AttemptWrite[], circuit: CircuitPolicy = DEFAULT_CIRCUIT): Promise<Set<string>> {
  if (!writes.length) return new Set();
  const rows = writes.map(
    (w) => sql`(${w.deliveryId}::text, ${w.attempt}::int, ${w.attemptedAt}::timestamptz, ${w.result.statusCode}::int,
      ${Math.round(w.result.latencyMs)}::int, ${w.result.error}::text, ${w.decision.status}::text,
      ${w.decision.nextAttemptAt}::timestamptz, ${w.decision.status === 'delivered' ? w.now : null}::timestamptz, ${w.owner}::text)`,
  );
  const health = endpointHealth(writes);
  // One update per endpoint row: two data-modifying CTEs touching the same row would conflict.
  const healthCte = sql`, health as (
    update webhooks w set
      failing_since = case when h.healed then null else coalesce(w.failing_since, h.failing_at) end,
      timeouts_in_row = case when h.answered then 0 else w.timeouts_in_row + h.timeouts end,
      circuit_open_until = case
        when h.answered then null
        when h.timeouts > 0 and w.timeouts_in_row + h.timeouts >= ${circuit.timeouts}::int
          then ${writes[0].now}::timestamptz + make_interval(secs => ${circuit.cooldownMs / 1000}::float8
            * power(2, least(w.timeouts_in_row + h.timeouts - ${circuit.timeouts}::int, ${MAX_COOLDOWN_DOUBLINGS}::int)))
        else w.circuit_open_until end
    from (values ${sql.join(
      health.map((e) => sql`(${e.id}::text, ${e.healed}::boolean, ${e.failingAt}::timestamptz, ${e.answered}::boolean, ${e.timeouts}::int)`),
    )}) as h(id, healed, failing_at, answered, timeouts)
    where w.id = h.id and (
      (h.healed and w.failing_since is not null) or (h.failing_at is not null and w.failing_since is null)
      or (h.answered and (w.timeouts_in_row <> 0 or w.circuit_open_until is not null)) or h.timeouts > 0))`;
  const result = await sql<{ id: string }>`
    with input (id, attempt, attempted_at, status_code, latency_ms, error, status, next_attempt_at, delivered_at, owner) as (
      values ${sql.join(rows)}
    ),
    attempt_rows as (
      insert into webhook_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, error)
      select id, attempt, attempted_at, status_code, latency_ms, error from input
    )
    ${healthCte}
    update webhook_deliveries d set
      -- A delivery parked while its request was out (endpoint deleted or disabled meanwhile)
      -- keeps its parked status unless the request got through; the attempt still counts.
      status = case when i.status = 'delivered' or d.status = 'pending' then i.status else d.status end,
      attempts = i.attempt,
      last_attempt_at = i.attempted_at,
      response_code = i.status_code,
      latency_ms = i.latency_ms,
      last_error = i.error,
      next_attempt_at = case when d.status = 'pending' then i.next_attempt_at else null end,
      delivered_at = i.delivered_at,
      locked_until = null,
      locked_by = null
    from input i
    where d.id = i.id and d.locked_by = i.owner
    returning d.id
  `.execute(db);
  return new Set(result.rows.map((r) => r.id));
}

interface Pending {
  write: AttemptWrite;
  resolve: (recorded: boolean) => void;
  reject: (err: unknown) => void;
}

/** Funnels concurrent attempt records into as few statements as possible. */
export class BatchRecorder {
  readonly #db: WebhooksDb;
  readonly #maxBatch: number;
  #pending: Pending[] = [];
  #flushing: Promise<void> | null = null;

  readonly #circuit: CircuitPolicy;

  constructor(db: WebhooksDb, circuit: CircuitPolicy = DEFAULT_CIRCUIT, maxBatch = 64) {
    this.#db = db;
    this.#circuit = circuit;
    this.#maxBatch = maxBatch;
  }

  record(write: AttemptWrite): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ write, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    try {
      while (this.#pending.length) {
        const batch = this.#pending.splice(0, this.#maxBatch);
        try {
          const recorded = await recordAttempts(
            this.#db,
            batch.map((p) => p.write),
            this.#circuit,
          );
          for (const p of batch) p.resolve(recorded.has(p.write.deliveryId));
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.#flushing = null;
    }
  }
}
