// Claiming due deliveries. A claim is one statement that row-locks candidates with
// FOR UPDATE SKIP LOCKED and stamps them with a lease (locked_until) and a token (locked_by), so
// any number of workers on one PostgreSQL database can poll at once: a row is either skipped
// while another claim holds its lock or, once that claim commits, filtered out by the lease.
// A worker that dies keeps its rows only until the lease runs out.
import { sql } from 'kysely';
import type { WebhooksDb } from './db.js';

export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  event: string;
  payload: string;
  attempts: number;
  retryBase: number;
  nextAttemptAt: Date;
  createdAt: Date;
  url: string;
  secret: string;
  failingSince: Date | null;
  endpointDisabledAt: Date | null;
  endpointDeletedAt: Date | null;
  /** Position within its endpoint's share of this claim: the order its lane sends in. */
  rank: number;
}

export interface ClaimOptions {
  now: Date;
  leaseUntil: Date;
  token: string;
  /** How many endpoints may be picked; each becomes one lane of sequential attempts. */
  endpoints: number;
  /** Deliveries per endpoint per claim, sent in order by one lane. */
  perEndpoint: number;
  /** Bound on the due rows considered, so a huge backlog does not make one claim slow. */
  scanLimit?: number;
}

interface ClaimRow {
  id: string;
  webhook_id: string;
  event: string;
  payload: string;
  attempts: number;
  retry_base: number;
  next_attempt_at: Date;
  created_at: Date;
  url: string;
  secret: string;
  failing_since: Date | null;
  disabled_at: Date | null;
  deleted_at: Date | null;
  rn: number;
}

/**
 * Leases up to `perEndpoint` due deliveries for each of up to `endpoints` endpoints, oldest
 * first. An endpoint with a delivery already leased (by this worker or another) is left out,
 * which keeps one endpoint's deliveries flowing in order through one lane at a time.
 */
export async function claimDue(db: WebhooksDb, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  const { now, leaseUntil, token, endpoints, perEndpoint, scanLimit = 1000 } = o;
  const result = await sql<ClaimRow>`
    with due as materialized (
      select d.id, d.webhook_id, d.next_attempt_at, d.created_at
      from webhook_deliveries d
      where d.status = 'pending'
        and d.next_attempt_at <= ${now}
        and (d.locked_until is null or d.locked_until <= ${now})
        and not exists (
          select 1 from webhook_deliveries o
          where o.webhook_id = d.webhook_id and o.status = 'pending' and o.locked_until > ${now}
        )
      order by d.next_attempt_at, d.created_at, d.id
      limit ${scanLimit}
    ),
    endpoints as materialized (
      select webhook_id from due
      group by webhook_id
      order by min(next_attempt_at), min(created_at)
      limit ${endpoints}
    ),
    -- Materialised so the few chosen rows drive the join below: inlined, the window would be
    -- re-evaluated for every due row whenever the planner misjudges the table's size.
    chosen as materialized (
      select id, rn from (
        select due.id, row_number() over (partition by due.webhook_id order by due.next_attempt_at, due.created_at, due.id) as rn
        from due join endpoints on endpoints.webhook_id = due.webhook_id
      ) ranked
      where rn <= ${perEndpoint}
    ),
    picked as (
      -- The conditions are repeated on the locked row itself: under READ COMMITTED PostgreSQL
      -- re-checks them against the newest version, which is what rules out a double claim.
      select d.id, c.rn from chosen c
      join webhook_deliveries d on d.id = c.id
      where d.status = 'pending'
        and d.next_attempt_at <= ${now}
        and (d.locked_until is null or d.locked_until <= ${now})
      for update of d skip locked
    )
    update webhook_deliveries d
    set locked_until = ${leaseUntil}, locked_by = ${token}
    from picked, webhooks w
    where d.id = picked.id and w.id = d.webhook_id
    returning d.id, d.webhook_id, d.event, d.payload, d.attempts, d.retry_base, d.next_attempt_at, d.created_at,
      w.url, w.secret, w.failing_since, w.disabled_at, w.deleted_at, picked.rn::int as rn
  `.execute(db);
  return result.rows
    .map((r) => ({
      id: r.id,
      webhookId: r.webhook_id,
      event: r.event,
      payload: r.payload,
      attempts: r.attempts,
      retryBase: r.retry_base,
      nextAttemptAt: new Date(r.next_attempt_at),
      createdAt: new Date(r.created_at),
      url: r.url,
      secret: r.secret,
      failingSince: r.failing_since ? new Date(r.failing_since) : null,
      endpointDisabledAt: r.disabled_at ? new Date(r.disabled_at) : null,
      endpointDeletedAt: r.deleted_at ? new Date(r.deleted_at) : null,
      rank: Number(r.rn),
    }))
    // The rank comes from SQL because created_at orders one batch by microseconds, finer than Date.
    .sort((a, b) => a.rank - b.rank);
}

/** Hands unsent deliveries back (on stop, or when a lease is too short to start another attempt). */
export async function releaseLeases(db: WebhooksDb, ids: string[], token: string): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('webhook_deliveries')
    .set({ locked_until: null, locked_by: null })
    .where('id', 'in', ids)
    .where('locked_by', '=', token)
    .execute();
}
