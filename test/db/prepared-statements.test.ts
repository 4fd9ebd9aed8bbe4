import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { freshDatabase, usingPostgres } from '../helpers/db.js';

describe('prepared statements on PostgreSQL', () => {
  test('repeated data statements are prepared once per connection; a stale plan falls back', { skip: !usingPostgres && 'needs TEST_DATABASE_URL' }, async () => {
    const { database, url, drop } = await freshDatabase();
    try {
      await database.migrate();
      const db = database.db;
      await sql`create table probe (id int primary key, v text)`.execute(db);
      await sql`insert into probe values (${1}, ${'a'})`.execute(db);
      // One connection, so the prepared statement list below is this session's.
      await db.connection().execute(async (conn) => {
        for (let i = 0; i < 3; i++) await sql`select * from probe where id = ${1}`.execute(conn);
        const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements where statement like ${'%from probe%'}`.execute(conn);
        assert.equal(prepared.rows.length, 1, 'the select was prepared, and only once');

        // Another session changes the table; the cached plan's result type no longer matches.
        const other = new pg.Client({ connectionString: url! });
        await other.connect();
        await other.query('alter table probe add column extra int');
        await other.end();
        const after = await sql<{ id: number; v: string; extra: number | null }>`select * from probe where id = ${1}`.execute(conn);
        assert.deepEqual(after.rows, [{ id: 1, v: 'a', extra: null }]);
      });
    } finally {
      await database.close();
      await drop();
    }
  });
});
