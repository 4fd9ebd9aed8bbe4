// A deep `offset` is found through the per-day counters (migration 0013) instead of walking every
// row before it. Whatever happens to the conversations (creates across day boundaries and time
// zones, deletes, restores, new start times, status and kind changes, rows without a start time),
// the page at any offset is exactly the page the plain walk gives, for both sort orders and the
// kind and status filters, and the counters equal a fresh count.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { DEEP_OFFSET, listConversations, type ListFilters } from '../../src/db/repos/conversations.js';

let t: TestApp;
let userId: string;
let otherId: string;
const N = 1_600;

before(async () => {
  t = await startTestApp();
  ({ userId } = await t.user('enterprise'));
  ({ userId: otherId } = await t.user('enterprise'));
  // Created every 37 minutes (so about 39 a day, crossing midnight UTC at odd times); start times
  // every 71 minutes from another origin, one in seven without; kinds and statuses mixed.
  await sql`insert into conversations (id, user_id, title, kind, status, start_time, segment_count, created_at, updated_at)
    select 'deep_' || g, ${userId}, 'Sync ' || g, case when g % 3 = 0 then 'chat' else 'meeting' end,
      case when g % 5 = 0 then 'in_progress' else 'completed' end,
      case when g % 7 = 0 then null else timestamptz '2025-06-01T23:30:00+02:00' + g * interval '71 minutes' end, 0,
      timestamptz '2025-01-01T00:00:00Z' + g * interval '37 minutes', now()
    from generate_series(1, ${N}::int) g`.execute(t.container.db);
  // Another user's conversations on the same days never count.
  await sql`insert into conversations (id, user_id, title, kind, status, segment_count, created_at, updated_at)
    select 'deep_other_' || g, ${otherId}, 'Other ' || g, 'meeting', 'completed', 0, timestamptz '2025-01-01T00:00:00Z' + g * interval '37 minutes', now()
    from generate_series(1, 300) g`.execute(t.container.db);
  // Changes after the fact: deletes, restores, re-dated meetings, status and kind changes, a new
  // creation time, and a hard delete.
  const db = t.container.db;
  await sql`update conversations set deleted_at = now() where user_id = ${userId} and id in (select 'deep_' || g from generate_series(1, ${N}::int, 11) g)`.execute(db);
  await sql`update conversations set deleted_at = null where id in (select 'deep_' || g from generate_series(1, ${N}::int, 33) g)`.execute(db);
  await sql`update conversations set start_time = start_time - interval '9 days' where id in (select 'deep_' || g from generate_series(2, ${N}::int, 13) g)`.execute(db);
  await sql`update conversations set start_time = null where id in (select 'deep_' || g from generate_series(4, ${N}::int, 17) g)`.execute(db);
  await sql`update conversations set status = 'completed' where id in (select 'deep_' || g from generate_series(5, ${N}::int, 10) g)`.execute(db);
  await sql`update conversations set kind = 'meeting' where id in (select 'deep_' || g from generate_series(3, ${N}::int, 9) g)`.execute(db);
  await sql`update conversations set created_at = created_at + interval '3 days' where id in (select 'deep_' || g from generate_series(6, ${N}::int, 19) g)`.execute(db);
  await sql`delete from conversations where id in (select 'deep_' || g from generate_series(8, ${N}::int, 23) g)`.execute(db);
});
after(async () => {
  await t.close();
});

/** The page the plain walk gives: every live row of the user in list order, then the slice. */
async function walked(f: ListFilters): Promise<string[]> {
  const key = f.sort === 'startTime' ? sql`coalesce(start_time, created_at)` : sql`created_at`;
  const r = await sql<{ id: string }>`select id from conversations
    where user_id = ${f.userId} and deleted_at is null
      and (${f.kind ?? null}::text is null or kind = ${f.kind ?? null}) and (${f.status ?? null}::text is null or status = ${f.status ?? null})
    order by ${key} desc, id desc offset ${f.offset} limit ${f.limit}`.execute(t.container.db);
  return r.rows.map((x) => x.id);
}

test(`[${dbLabel}] a page at any deep offset is the page the plain walk gives, for both orders and the kind and status filters`, async () => {
  const live = Number((await sql<{ n: string }>`select count(*)::text as n from conversations where user_id = ${userId} and deleted_at is null`.execute(t.container.db)).rows[0].n);
  assert.ok(live > DEEP_OFFSET + 200, `${live} live conversations`);
  const offsets = [DEEP_OFFSET, DEEP_OFFSET + 1, DEEP_OFFSET + 37, DEEP_OFFSET + 250, live - 25, live - 1, live, live + 10];
  let compared = 0;
  for (const sort of ['createdAt', 'startTime'] as const) {
    for (const filter of [{}, { kind: 'meeting' }, { status: 'completed' }, { kind: 'chat', status: 'completed' }]) {
      for (const offset of offsets) {
        const f: ListFilters = { userId, limit: 20, offset, sort, ...filter };
        const page = await listConversations(t.container.db, f);
        const expected = await walked(f);
        assert.deepEqual(page.rows.map((r) => r.id), expected, `sort ${sort}, ${JSON.stringify(filter)}, offset ${offset}`);
        if (expected.length) compared++;
        assert.equal(page.next !== null, (await walked({ ...f, offset: offset + 20, limit: 1 })).length > 0, 'a next cursor when rows follow');
      }
    }
  }
  assert.ok(compared >= 20, `${compared} non-empty pages compared`);
});

test(`[${dbLabel}] the per-day counters equal a fresh count of live conversations`, async () => {
  const r = await sql<{ diff: string }>`
    with fresh as (
      select user_id, 'created' as sort, (created_at at time zone 'UTC')::date as day, kind, status, count(*) as n from conversations where deleted_at is null group by 1, 2, 3, 4, 5
      union all
      select user_id, 'start', (coalesce(start_time, created_at) at time zone 'UTC')::date, kind, status, count(*) from conversations where deleted_at is null group by 1, 2, 3, 4, 5
    ), kept as (select user_id, sort, day, kind, status, n from conversation_days where n <> 0)
    select count(*)::text as diff from ((select * from fresh except select * from kept) union all (select * from kept except select * from fresh)) x`.execute(t.container.db);
  assert.equal(r.rows[0].diff, '0');
});

test(`[${dbLabel}] through the API: a deep offset page and the pages around it join up`, async () => {
  const { key, userId: mine } = await t.user('enterprise');
  await sql`insert into conversations (id, user_id, title, kind, status, segment_count, created_at, updated_at)
    select 'api_deep_' || g, ${mine}, 'Call ' || g, 'meeting', 'completed', 0, timestamptz '2025-03-01T00:00:00Z' + g * interval '13 minutes', now()
    from generate_series(1, 1100) g`.execute(t.container.db);
  const get = async (qs: string) => {
    const res = await t.request('GET', `/api/v1/conversations?${qs}`, { key });
    assert.equal(res.status, 200, res.text);
    return res.body as { data: Array<{ id: string }>; pagination: { total: number; nextCursor: string | null } };
  };
  const deep = await get('limit=10&offset=1050');
  assert.equal(deep.pagination.total, 1100);
  // Rows are created 13 minutes apart: offset 1050 is the 51st oldest.
  assert.deepEqual(deep.data.map((r) => r.id), Array.from({ length: 10 }, (_, i) => `api_deep_${50 - i}`));
  const next = await get(`limit=10&cursor=${encodeURIComponent(deep.pagination.nextCursor!)}`);
  assert.deepEqual(next.data.map((r) => r.id), Array.from({ length: 10 }, (_, i) => `api_deep_${40 - i}`));
  assert.deepEqual((await get('limit=10&offset=1100')).data, []);
});
