// The server for bench/growth.ts, in its own process: starts Colloquy on the database given by
// DATABASE_URL (PGlite in a temporary folder when empty), creates one user, prints
// {url, key, userId, conversationId} as its first line, then grows that user's conversations on request:
// each stdin line "grow N" bulk-inserts through the project's own tables (SQL, in batches of 2,000
// conversations of 50 segments and 3 action items) until the user has N, and answers "grown N" on stdout.
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { measuringEnv, removeMeasuringEnv } from '../scripts/bench-env.js';

const SEGMENTS = 50;
const BATCH = 2_000;
/** Sentences segments are made of; the frequent word "budget" is in about 9 % of segments (1 in 11). */
const SENTENCES = [
  'we reviewed the rollout plan for the northern region',
  'the customer success team will follow up next week',
  'latency on the checkout page went down after the fix',
  'marketing wants a shorter launch video for the campaign',
  'the vendor contract renews at the end of the quarter',
  'design shared three options for the onboarding screens',
  'support tickets about invoices dropped by a third',
  'the mobile release slips by two days for testing',
  'hiring for the data team is on track',
  'we should document the migration steps before friday',
];

const { loadConfig } = await import('../src/config.js');
const { startServer } = await import('../src/server.js');
const env = measuringEnv('colloquy-growth');
const server = await startServer(loadConfig({ ...process.env, ...env, DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '10' }), { print: () => {} });
const shutdown = async () => {
  try {
    await server.stop();
  } finally {
    removeMeasuringEnv(env);
  }
};
process.once('SIGTERM', () => void shutdown().then(() => process.exit(0), () => process.exit(1)));

const { container } = server;
const user = await container.accounts.createUser({ email: `growth-${Date.now()}@example.com`, name: 'Growth', tier: 'enterprise' });
const key = await container.accounts.createKey(user.id, 'growth');
let have = 0;

async function grow(to: number): Promise<void> {
  const db = container.db;
  const texts = sql.raw(`array[${SENTENCES.map((s) => `'${s}'`).join(',')}]`);
  while (have < to) {
    const from = have;
    const upto = Math.min(to, from + BATCH);
    await db.transaction().execute(async (trx) => {
      await sql`insert into conversations (id, user_id, title, kind, status, start_time, end_time, segment_count, created_at, updated_at)
        select 'grow_' || g, ${user.id}, 'Weekly sync ' || g, 'meeting', 'completed',
          timestamptz '2020-01-01T09:00:00Z' + g * interval '1 hour', timestamptz '2020-01-01T09:30:00Z' + g * interval '1 hour', ${SEGMENTS},
          timestamptz '2020-01-01T00:00:00Z' + g * interval '1 minute', now()
        from generate_series(${from}::int, ${upto - 1}::int) g`.execute(trx);
      // "budget" in 1 segment of 11; "zanzibar" once in the whole data set (the rare word).
      await sql`insert into segments (conversation_id, idx, speaker, text, ts)
        select 'grow_' || g, i, 'Speaker ' || (i % 4),
          (${texts})[1 + (g * 7 + i * 3) % ${SENTENCES.length}::int]
            || case when (g * ${SEGMENTS}::int + i) % 11 = 0 then ' and the budget is tight' else '' end
            || case when g = 7 and i = 3 then ' zanzibar' else '' end,
          timestamptz '2020-01-01T09:00:00Z' + g * interval '1 hour' + i * interval '30 seconds'
        from generate_series(${from}::int, ${upto - 1}::int) g, generate_series(0, ${SEGMENTS - 1}::int) i`.execute(trx);
      // Three action items per conversation: a third open, a sixth dismissed, the rest done; most with a
      // due date (spread over the years the meetings span), some with none; five owners.
      await sql`insert into action_items (id, user_id, conversation_id, item, owner, due_date, priority, confidence, evidence, status, created_at, updated_at)
        select 'act_grow_' || g || '_' || k, ${user.id}, 'grow_' || g, 'Follow up on point ' || k || ' of weekly sync ' || g, 'Owner ' || ((g + k) % 5),
          case when (g + k) % 4 = 0 then null else date '2020-01-01' + (g / 24) + k * 3 end, 'medium', 0.8,
          jsonb_build_array(jsonb_build_object('segmentIndex', k, 'quote', '')),
          case (g * 3 + k) % 6 when 0 then 'open' when 1 then 'open' when 2 then 'dismissed' else 'done' end,
          timestamptz '2020-01-01T00:00:00Z' + g * interval '1 minute', now()
        from generate_series(${from}::int, ${upto - 1}::int) g, generate_series(0, 2) k`.execute(trx);
    });
    have = upto;
  }
  // As autovacuum leaves a table that has settled (the search trigger updates each new conversation once).
  await sql`vacuum analyze conversations`.execute(db);
  await sql`vacuum analyze segments`.execute(db);
  await sql`vacuum analyze action_items`.execute(db);
  // The counters the seeding's triggers updated once per conversation. The bulk seed updates each
  // day's counter row up to 2,000 times in one transaction, so its old versions cannot be pruned as
  // they are when conversations arrive one per transaction, and the rows end up spread over
  // thousands of pages; rewriting them gives the compact table that normal use keeps.
  await sql`vacuum analyze conversation_counts`.execute(db);
  await sql`vacuum full analyze conversation_days`.execute(db);
}

process.stdout.write(JSON.stringify({ url: server.url, key: key.key, userId: user.id, conversationId: 'grow_7' }) + '\n');
for await (const line of createInterface({ input: process.stdin })) {
  const m = /^grow (\d+)$/.exec(line.trim());
  if (!m) continue;
  await grow(Number(m[1]));
  process.stdout.write(`grown ${have}\n`);
}
