import { sql, type Kysely } from 'kysely';

// A rate-limit statement may admit several requests at once (batched by each server process); the
// bucket row records how many the last statement admitted, so that statement can number them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table rate_buckets add column last_admitted integer not null default 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table rate_buckets drop column if exists last_admitted`.execute(db);
}
