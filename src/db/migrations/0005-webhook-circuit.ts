import { sql, type Kysely } from 'kysely';

// A circuit breaker per endpoint: consecutive timed-out attempts, and until when the endpoint is
// left alone. Kept in the database so every worker process honours the same breaker.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table webhooks add column timeouts_in_row integer not null default 0`.execute(db);
  await sql`alter table webhooks add column circuit_open_until timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table webhooks drop column if exists circuit_open_until`.execute(db);
  await sql`alter table webhooks drop column if exists timeouts_in_row`.execute(db);
}
