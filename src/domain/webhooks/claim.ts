// Claiming due deliveries. A claim is one statement that row-locks candidates with
// FOR UPDATE SKIP LOCKED and stamps them with a lease (locked_until) and the worker's id
// (locked_by), so any number of workers on one PostgreSQL database can poll at once: a row is
// either skipped while another claim holds its lock or, once that claim commits, filtered out by
// the lease. A worker that dies keeps its rows only until the lease runs out.
import { sql } from 'kysely';
import type { WebhooksDb } from './db.js';

export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  event: string;
  payload: string;
  attempts: number;
  retryBase: number;
  url: string;
  secret: string;
  failingSince: Date | null;
  endpointDisabledAt: Date | null;
  endpointDeletedAt: Date | null;
}

export interface ClaimOptions {
  now: Date;
  leaseUntil: Date;
  /** The claiming worker's id; its write-backs are fenced on it. */
  owner: string;
  /** Most deliveries to take in this claim (the worker's free slots). */
  limit: number;
  /** Most deliveries one endpoint may have in flight from this worker, counting those already out. */
  perEndpoint: number;
  /**
   * Due rows considered (default limit × perEndpoint): enough to fill every slot, and small,
   * so the claim stays cheap however long the backlog is.
   */
  scanLimit?: number;
}

interface ClaimRow {
  id: string;
  webhook_id: string;
  event: string;
  payload: string;
  attempts: number;
  retry_base: number;
  url: string;
  secret: string;
  failing_since: Date | null;
  disabled_at: Date | null;
  deleted_at: Date | null;
  seq: number;
}

/**
 * Leases up to `limit` due deliveries, oldest first, at most `perEndpoint` in flight per
 * endpoint. An endpoint another worker is currently sending to is left to that worker, which
 * keeps each endpoint's deliveries starting in queue order.
 */
export async function claimDue(db: WebhooksDb, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  const { now, leaseUntil, owner, limit, perEndpoint, scanLimit } = o;
  if (limit <= 0) return [];
  const result = await sql<ClaimRow>`
    with mine as materialized (
      select webhook_id, count(*)::int as n from webhook_deliveries
      where status = 'pending' and locked_until > ${now} and locked_by = ${owner}
      group by webhook_id
    ),
    due as materialized (
      select d.id, d.webhook_id, d.next_attempt_at, d.created_at
      from webhook_deliveries d
      where d.status = 'pending'
        and d.next_attempt_at <= ${now}
        and (d.locked_until is null or d.locked_until <= ${now})
        and not exists (
          select 1 from webhook_deliveries o
          where o.webhook_id = d.webhook_id and o.status = 'pending' and o.locked_until > ${now}
            and o.locked_by is distinct from ${owner}
        )
        -- Endpoints this worker already has at its limit are skipped before the scan limit, so
        -- one busy endpoint's backlog cannot hide everyone else's deliveries from the claim.
        and not exists (select 1 from mine m where m.webhook_id = d.webhook_id and m.n >= ${perEndpoint})
      order by d.next_attempt_at, d.created_at, d.id
      limit ${scanLimit ?? limit * perEndpoint}
    ),
    -- Materialised so the few chosen rows drive the join below: inlined, the window would be
    -- re-evaluated for every due row whenever the planner misjudges the table's size.
    chosen as materialized (
      select id, row_number() over (order by next_attempt_at, created_at, id) as seq from (
        select due.*,
          row_number() over (partition by due.webhook_id order by due.next_attempt_at, due.created_at, due.id) as rn,
          ${perEndpoint}::int - coalesce(mine.n, 0) as room
        from due left join mine on mine.webhook_id = due.webhook_id
      ) ranked
      where rn <= room
      order by next_attempt_at, created_at, id
      limit ${limit}
    ),
    picked as (
      -- The conditions are repeated on the locked row itself: under READ COMMITTED PostgreSQL
      -- re-checks them against the newest version, which is what rules out a double claim.
      select d.id, c.seq from chosen c
      join webhook_deliveries d on d.id = c.id
      where d.status = 'pending'
        and d.next_attempt_at <= ${now}
        and (d.locked_until is null or d.locked_until <= ${now})
      for update of d skip locked
    )
    update webhook_deliveries d
    set locked_until = ${leaseUntil}, locked_by = ${owner}
    from picked, webhooks w
    where d.id = picked.id and w.id = d.webhook_id
    returning d.id, d.webhook_id, d.event, d.payload, d.attempts, d.retry_base,
      w.url, w.secret, w.failing_since, w.disabled_at, w.deleted_at, picked.seq::int as seq
  `.execute(db);
  // The order comes from SQL because created_at orders one batch by microseconds, finer than Date.
  return [...result.rows]
    .sort((a, b) => Number(a.seq) - Number(b.seq))
    .map((r) => ({
      id: r.id,
      webhookId: r.webhook_id,
      event: r.event,
      payload: r.payload,
      attempts: r.attempts,
      retryBase: r.retry_base,
      url: r.url,
      secret: r.secret,
      failingSince: r.failing_since ? new Date(r.failing_since) : null,
      endpointDisabledAt: r.disabled_at ? new Date(r.disabled_at) : null,
      endpointDeletedAt: r.deleted_at ? new Date(r.deleted_at) : null,
    }));
}

/** Hands unsent deliveries back (when a worker stops between claiming and sending). */
export async function releaseLeases(db: WebhooksDb, ids: string[], owner: string): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('webhook_deliveries')
    .set({ locked_until: null, locked_by: null })
    .where('id', 'in', ids)
    .where('locked_by', '=', owner)
    .where('status', '=', 'pending')
    .execute();
}
