import { sql, type Kysely } from 'kysely';

// Delivery worker bookkeeping.
// - retry_base: the attempt count when the current retry run began. A replay starts a new run, so
//   the schedule applies afresh while attempt numbers keep growing in webhook_attempts.
// - locked_by: the id of the worker holding the lease. A worker only writes back a delivery it
//   still holds, so a worker that stalled past its lease cannot overwrite the new owner's result.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`alter table webhook_deliveries add column retry_base integer not null default 0`,
    sql`alter table webhook_deliveries add column locked_by text`,
    // Serves the claim's "is another delivery of this endpoint in flight?" check.
    sql`create index webhook_deliveries_leased on webhook_deliveries(webhook_id) where status = 'pending' and locked_until is not null`,
  ];
  for (const s of statements) await s.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists webhook_deliveries_leased`.execute(db);
  await sql`alter table webhook_deliveries drop column if exists locked_by`.execute(db);
  await sql`alter table webhook_deliveries drop column if exists retry_base`.execute(db);
}
