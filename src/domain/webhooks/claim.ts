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
  userId: string;
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
  /** Most deliveries one user's endpoints together may hold in this worker (default: no cap). */
  perUser?: number;
  /**
   * Endpoints with at least this many timeouts in a row (their breaker's cool-down has passed)
   * are probed with one delivery at a time (default: never).
   */
  probeAfterTimeouts?: number;
  /**
   * Due rows considered (default limit × perEndpoint): enough to fill every slot, and small,
   * so the claim stays cheap however long the backlog is.
   */
  scanLimit?: number;
}

interface ClaimRow {
  id: string;
  webhook_id: string;
  user_id: string;
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
 * Leases up to `limit` due deliveries, taking users in turn (each user's oldest first) so one
 * user's backlog cannot fill a worker, at most `perEndpoint` in flight per endpoint and `perUser`
 * held per user. An endpoint another worker is currently sending to is left to that worker, which
 * keeps each endpoint's deliveries starting in queue order; an endpoint whose breaker is open is
 * not claimed at all. `windowFull` says the scan stopped at its limit: more may be due.
 */
export async function claimDue(db: WebhooksDb, o: ClaimOptions): Promise<ClaimedDelivery[] & { windowFull?: boolean }> {
  const { now, leaseUntil, owner, limit, perEndpoint, scanLimit } = o;
  if (limit <= 0) return [];
  const perUser = Math.min(o.perUser ?? limit, limit);
  const probeAfter = o.probeAfterTimeouts ?? 2 ** 31 - 1;
  const scan = scanLimit ?? limit * perEndpoint;
  const result = await sql<ClaimRow & { scanned: number }>`
    with mine as materialized (
      select webhook_id, user_id, count(*)::int as n from webhook_deliveries
      where status = 'pending' and locked_until > ${now} and locked_by = ${owner}
      group by webhook_id, user_id
    ),
    mine_users as materialized (select user_id, sum(n)::int as n from mine group by user_id),
    due as materialized (
      select d.id, d.webhook_id, d.user_id, d.next_attempt_at, d.created_at, w.timeouts_in_row
      from webhook_deliveries d
      join webhooks w on w.id = d.webhook_id
      where d.status = 'pending'
        and d.next_attempt_at <= ${now}
        and (d.locked_until is null or d.locked_until <= ${now})
        and (w.circuit_open_until is null or w.circuit_open_until <= ${now})
        and not exists (
          select 1 from webhook_deliveries o
          where o.webhook_id = d.webhook_id and o.status = 'pending' and o.locked_until > ${now}
            and o.locked_by is distinct from ${owner}
        )
        -- Endpoints and users this worker already has at their limit are skipped before the scan
        -- limit, so one busy endpoint's or user's backlog cannot hide everyone else's deliveries.
        -- (NOT IN over the few held groups becomes one hashed lookup per row.)
        and d.webhook_id not in (select webhook_id from mine where n >= ${perEndpoint})
        and d.user_id not in (select user_id from mine_users where n >= ${perUser})
      order by d.next_attempt_at, d.created_at, d.id
      limit ${scan}
    ),
    -- Materialised so the few chosen rows drive the join below: inlined, the windows would be
    -- re-evaluated for every due row whenever the planner misjudges the table's size.
    chosen as materialized (
      select id, row_number() over (order by urn, next_attempt_at, created_at, id) as seq from (
        select fit.*,
          row_number() over (partition by fit.user_id order by fit.next_attempt_at, fit.created_at, fit.id) as urn,
          ${perUser}::int - coalesce(mu.n, 0) as user_room
        from (
          select due.*,
            row_number() over (partition by due.webhook_id order by due.next_attempt_at, due.created_at, due.id) as rn,
            -- An endpoint on probation after its breaker closed gets one delivery at a time.
            (case when due.timeouts_in_row >= ${probeAfter}::int then 1 else ${perEndpoint}::int end) - coalesce(mine.n, 0) as room
          from due left join mine on mine.webhook_id = due.webhook_id
        ) fit
        left join mine_users mu on mu.user_id = fit.user_id
        where fit.rn <= fit.room
      ) ranked
      -- urn takes users in turn: every user's oldest, then every user's second oldest, …
      where urn <= user_room
      order by urn, next_attempt_at, created_at, id
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
    returning d.id, d.webhook_id, d.user_id, d.event, d.payload, d.attempts, d.retry_base,
      w.url, w.secret, w.failing_since, w.disabled_at, w.deleted_at, picked.seq::int as seq,
      (select count(*) from due)::int as scanned
  `.execute(db);
  // The order comes from SQL because created_at orders one batch by microseconds, finer than Date.
  const claimed: ClaimedDelivery[] & { windowFull?: boolean } = [...result.rows]
    .sort((a, b) => Number(a.seq) - Number(b.seq))
    .map((r) => ({
      id: r.id,
      webhookId: r.webhook_id,
      userId: r.user_id,
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
  claimed.windowFull = result.rows.some((r) => Number(r.scanned) >= scan);
  return claimed;
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
