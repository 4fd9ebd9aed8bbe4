import type { Kysely } from 'kysely';
import { publicUrl, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import type { DB } from './db/schema.js';
import { AccountsService } from './domain/accounts/service.js';
import { ConversationsService } from './domain/conversations/service.js';
import { createIdGenerator, type IdGenerator } from './domain/ids.js';
import { createDbRateLimiter, type RateLimiter } from './domain/ratelimit/rate-limiter.js';
import { createMetrics, type Metrics } from './http/metrics.js';

/** The composition root: picks adapters from config and hands out services. No module-level singletons. */
export interface Container {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  newId: IdGenerator;
  clock: () => Date;
  metrics: Metrics;
  accounts: AccountsService;
  conversations: ConversationsService;
  rateLimiter: RateLimiter;
  /** Things to stop, newest first, on close(). */
  onClose: Array<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  database?: Database;
  newId?: IdGenerator;
  clock?: () => Date;
  rateLimiter?: RateLimiter;
}

export async function createContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const database =
    overrides.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize }));
  await database.migrate();
  const db = database.db;
  const newId = overrides.newId ?? createIdGenerator();
  const clock = overrides.clock ?? (() => new Date());
  const onClose: Array<() => Promise<void>> = [];
  const container: Container = {
    config,
    database,
    db,
    newId,
    clock,
    metrics: createMetrics(),
    accounts: new AccountsService(db, config.tiers, newId),
    conversations: new ConversationsService(db, newId, publicUrl(config), clock),
    rateLimiter: overrides.rateLimiter ?? createDbRateLimiter(db, () => clock().getTime()),
    onClose,
    async close() {
      for (const fn of [...onClose].reverse()) await fn();
      await database.close();
    },
  };
  return container;
}
