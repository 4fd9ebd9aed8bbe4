import pg from 'pg';

// A worker killed mid-job (kill -9, out of memory, power loss) leaves its job `active`, and pg-boss
// hands it out again only when it expires: minutes for an import whose user is waiting. Jobs whose
// worker is gone are put back in the queue when a worker starts instead.

export interface JobClaims {
  /** Marks `id` as being worked on by this live process until the returned release is called. */
  hold(name: string, id: string): Promise<() => Promise<void>>;
  /** Puts `active` jobs of `name` whose worker is gone back in the queue; returns how many. */
  requeueOrphans(name: string): Promise<number>;
  close(): Promise<void>;
}

type Executor = { executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }> };

/**
 * PostgreSQL, any number of worker processes: a live worker keeps a KEY SHARE row lock on its job in
 * a transaction of its own, which its death releases. KEY SHARE does not conflict with pg-boss's own
 * updates of the row (complete, fail, expire), but it does with FOR UPDATE, so `skip locked` leaves
 * exactly the jobs of live workers out of the requeue.
 */
export function postgresClaims(connectionString: string, schema: string, exec: Executor): JobClaims {
  const pool = new pg.Pool({ connectionString, max: 4 });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return {
    async hold(name, id) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(`select 1 from ${schema}.job where name = $1 and id = $2 for key share`, [name, id]);
      } catch (err) {
        client.release(true);
        throw err;
      }
      return async () => {
        await client.query('commit').then(
          () => client.release(),
          () => client.release(true),
        );
      };
    },
    async requeueOrphans(name) {
      const r = await exec.executeSql(
        `with orphaned as (select id from ${schema}.job where name = $1 and state = 'active' for update skip locked)
         update ${schema}.job j set state = 'retry', start_after = now() from orphaned o where j.name = $1 and j.id = o.id returning j.id`,
        [name],
      );
      return r.rows.length;
    },
    close: () => pool.end(),
  };
}

/** The embedded database belongs to one process (the data-folder lock): every active job at start is an orphan. */
export function embeddedClaims(schema: string, exec: Executor): JobClaims {
  return {
    async hold() {
      return async () => {};
    },
    async requeueOrphans(name) {
      const r = await exec.executeSql(`update ${schema}.job set state = 'retry', start_after = now() where name = $1 and state = 'active' returning id`, [name]);
      return r.rows.length;
    },
    async close() {},
  };
}
