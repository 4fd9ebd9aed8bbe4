import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { DB } from '../db/schema.js';
import { startConsumer, type Consumer } from './consumer.js';
import { embeddedClaims, postgresClaims } from './orphans.js';

const SCHEMA = 'pgboss';
import { jobCatalog, type JobData, type JobName } from './catalog.js';

export type JobHandler<N extends JobName> = (data: JobData<N>, meta: { id: string; retryCount: number }) => Promise<void>;

export interface JobQueue {
  /** Enqueues inside the caller's transaction: the job exists if and only if the change commits. */
  enqueue<N extends JobName>(trx: Transaction<DB> | Kysely<DB>, name: N, data: JobData<N>): Promise<void>;
  /** Starts consuming `name` in this process. */
  work<N extends JobName>(name: N, handler: JobHandler<N>): Promise<void>;
  stop(): Promise<void>;
}

type Executor = { executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }> };

function executorFor(db: Kysely<DB> | Transaction<DB>): Executor {
  return {
    async executeSql(text, values) {
      const r = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: r.rows as any[] };
    },
  };
}

/**
 * pg-boss on the same database as everything else. On PostgreSQL it keeps its own small pool; on the
 * embedded PGlite its SQL goes through Kysely, and so through the single-connection lock.
 */
export async function createPgBossQueue(opts: { db: Kysely<DB>; databaseUrl: string | null; supervise: boolean }): Promise<JobQueue> {
  const boss = opts.databaseUrl
    ? new PgBoss({ connectionString: opts.databaseUrl, schema: SCHEMA, max: 4, supervise: opts.supervise, schedule: false })
    : new PgBoss({ db: executorFor(opts.db), schema: SCHEMA, supervise: opts.supervise, schedule: false });
  boss.on('error', () => {
    /* pg-boss reports transient maintenance errors here; jobs are retried by design */
  });
  await boss.start();
  const consumers: Consumer[] = [];
  const claims = opts.databaseUrl ? postgresClaims(opts.databaseUrl, SCHEMA, executorFor(opts.db)) : embeddedClaims(SCHEMA, executorFor(opts.db));
  for (const [name, def] of Object.entries(jobCatalog)) {
    await boss.createQueue(name, { name, retryLimit: def.retryLimit, retryDelay: def.retryDelaySeconds, expireInSeconds: def.expireInSeconds });
  }
  return {
    async enqueue(trx, name, data) {
      const parsed = jobCatalog[name].schema.parse(data);
      await boss.send(name, parsed, { db: executorFor(trx) } as PgBoss.SendOptions);
    },
    async work(name, handler) {
      // Before consuming: jobs a killed worker left active run again now, not when they expire.
      await claims.requeueOrphans(name);
      consumers.push(
        startConsumer(boss, name, {
          hold: (id) => claims.hold(name, id),
          pollMs: 500,
          maxBackoffMs: 5_000,
          run: async (job) => {
            const data = jobCatalog[name].schema.parse(job.data) as JobData<typeof name>;
            await handler(data, { id: job.id, retryCount: job.retryCount });
          },
        }),
      );
    },
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
      await claims.close();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
