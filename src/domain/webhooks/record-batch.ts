// Recording attempts in batches. Under load many attempts finish close together; writing them
// with one statement instead of one each is most of what keeps delivery cheap for the database,
// which on PGlite shares one thread with the API. No attempt waits for a batch to fill: the
// first is written at once, and whatever finishes meanwhile goes into the next statement.
import { sql } from 'kysely';
import type { WebhooksDb } from './db.js';
import type { AttemptWrite } from './record.js';

/**
 * Writes the attempt rows, the deliveries' new state and the endpoints' health in one
 * statement. Returns the ids whose lease was still held (their state was updated); attempt rows
 * are kept for all, since the requests were made. Not for attempts that disable an endpoint.
 */
export async function recordAttempts(db: WebhooksDb, writes: AttemptWrite[]): Promise<Set<string>> {
  if (!writes.length) return new Set();
  const rows = writes.map(
    (w) => sql`(${w.deliveryId}::text, ${w.attempt}::int, ${w.attemptedAt}::timestamptz, ${w.result.statusCode}::int,
      ${Math.round(w.result.latencyMs)}::int, ${w.result.error}::text, ${w.decision.status}::text,
      ${w.decision.nextAttemptAt}::timestamptz, ${w.decision.status === 'delivered' ? w.now : null}::timestamptz, ${w.owner}::text)`,
  );
  // A success anywhere in the batch ends the endpoint's failing streak; an endpoint with only
  // failures starts one (if it had none) at its earliest failure.
  const healed = new Set<string>();
  const failingFrom = new Map<string, Date>();
  for (const w of writes) {
    if (w.result.ok) healed.add(w.webhookId);
  }
  for (const w of writes) {
    if (w.result.ok || healed.has(w.webhookId)) continue;
    const first = failingFrom.get(w.webhookId);
    if (!first || w.attemptedAt < first) failingFrom.set(w.webhookId, w.attemptedAt);
  }
  const healthCtes = [
    ...(healed.size
      ? [sql`, healed as (
          update webhooks set failing_since = null
          where id in (${sql.join([...healed])}) and failing_since is not null)`]
      : []),
    ...(failingFrom.size
      ? [sql`, failing as (
          update webhooks w set failing_since = f.at
          from (values ${sql.join([...failingFrom].map(([id, at]) => sql`(${id}::text, ${at}::timestamptz)`))}) as f(id, at)
          where w.id = f.id and w.failing_since is null)`]
      : []),
  ];
  const result = await sql<{ id: string }>`
    with input (id, attempt, attempted_at, status_code, latency_ms, error, status, next_attempt_at, delivered_at, owner) as (
      values ${sql.join(rows)}
    ),
    attempt_rows as (
      insert into webhook_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, error)
      select id, attempt, attempted_at, status_code, latency_ms, error from input
    )
    ${sql.join(healthCtes, sql``)}
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

  constructor(db: WebhooksDb, maxBatch = 64) {
    this.#db = db;
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
