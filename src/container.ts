import { availableParallelism } from 'node:os';
import { EMBEDDED_SEARCH_TOTAL_CAP, SEARCH_TOTAL_CAP } from './db/repos/conversations.js';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { publicUrl, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import type { DB } from './db/schema.js';
import { AccountsService } from './domain/accounts/service.js';
import { DashboardSessions } from './domain/accounts/dashboard-sessions.js';
import { ConversationsService } from './domain/conversations/service.js';
import { SearchService } from './domain/search/service.js';
import { ActionItemsService } from './domain/action-items/service.js';
import { createIdGenerator, type IdGenerator } from './domain/ids.js';
import { createDbRateLimiter, type RateLimiter } from './domain/ratelimit/rate-limiter.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { AnalysisService } from './domain/analysis/service.js';
import { AutoAnalysis } from './domain/analysis/auto.js';
import type { AnalysisEngine } from './engines/types.js';
import { createEngine } from './engines/select.js';
import { createPgBossQueue } from './jobs/queue.js';
import { SecretBox } from './domain/secret-box.js';
import { sealStoredSecrets } from './domain/stored-secrets.js';
import { loadSecretKey } from './secret-key.js';
import type { JobQueue } from './jobs/queue.js';
import { createFeedExpander, type FeedExpander } from './integrations/calendar/expand-pool.js';
import { join } from 'node:path';
import { createAudioTools, type AudioTools } from './integrations/stt/ffmpeg.js';
import { createSpeechToText, type SpeechToText } from './integrations/stt/provider.js';

/** The composition root: picks adapters from config and hands out services. No module-level singletons. */
export interface Container {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  newId: IdGenerator;
  clock: () => Date;
  metrics: Metrics;
  accounts: AccountsService;
  /** The dashboard's cookie sessions, exchanged for an API key. */
  dashboardSessions: DashboardSessions;
  conversations: ConversationsService;
  /** GET /search: matching segments across a user's conversations. */
  search: SearchService;
  /** GET/PATCH /action-items: action items tracked across conversations. */
  actionItems: ActionItemsService;
  rateLimiter: RateLimiter;
  engine: AnalysisEngine;
  analysis: AnalysisService;
  /** Key points in the background for users who analyse new conversations automatically. */
  autoAnalysis: AutoAnalysis;
  jobs: JobQueue;
  /** Seals and opens the secrets kept in the database. */
  secrets: SecretBox;
  /** Parses and expands ICS feeds on a worker thread, within a time budget. */
  calendarFeeds: FeedExpander;
  /** Speech-to-text for audio imports; null when no provider is configured. */
  stt: SpeechToText | null;
  /** ffmpeg/ffprobe from the PATH: probing and splitting recordings. */
  audioTools: AudioTools;
  /** Uploaded recordings waiting for transcription (and their chunks). */
  audioDir: string;
  /** Things to stop, newest first, on close(). */
  onClose: Array<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  database?: Database;
  newId?: IdGenerator;
  clock?: () => Date;
  rateLimiter?: RateLimiter;
  engine?: AnalysisEngine;
  secrets?: SecretBox;
  /** Replaces the HTTP client of the speech-to-text provider (tests). */
  sttFetch?: typeof globalThis.fetch;
}

export async function createContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const database =
    overrides.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize, statementTimeoutMs: config.statementTimeoutMs }));
  await database.migrate();
  const db = database.db;
  const secrets = overrides.secrets ?? new SecretBox(loadSecretKey({ secretKey: config.secretKey, dataDir: database.dataDir }));
  // Every process seals what was stored in clear (before sealing existed, or before a key was set).
  await sealStoredSecrets(db, secrets);
  const newId = overrides.newId ?? createIdGenerator();
  const clock = overrides.clock ?? (() => new Date());
  const onClose: Array<() => Promise<void>> = [];
  const metrics = createMetrics();
  const engineLog = pino({ name: 'engine', level: config.logLevel });
  const engine =
    overrides.engine ?? (await createEngine(config.ai, { onWorkerError: (err) => engineLog.error({ err }, 'analysis worker thread failed; the pool is restarted on the next analysis') }));
  onClose.push(async () => {
    await engine.close?.();
  });
  // Started before any request: jobs are enqueued inside the transactions of the changes that cause
  // them, and on PGlite (one connection) the queue could not create its schema from inside one.
  const jobs = await createPgBossQueue({ db, databaseUrl: config.databaseUrl, supervise: config.worker === 'inline' });
  onClose.push(() => jobs.stop());
  const calendarFeeds = createFeedExpander({ budgetMs: config.calendar.expandTimeoutMs });
  onClose.push(() => calendarFeeds.close());
  const conversations = new ConversationsService(db, newId, publicUrl(config), clock, metrics, {
    searchTimeoutMs: database.kind === 'postgres' ? config.searchTimeoutMs : 0,
    searchesAtOnce: database.kind === 'postgres' ? (config.searchesAtOnce ?? defaultSearchesAtOnce(config.poolSize)) : 1,
    cancellable: database.kind === 'postgres',
    searchTotalCap: config.searchTotalCap ?? (database.kind === 'postgres' ? SEARCH_TOTAL_CAP : EMBEDDED_SEARCH_TOTAL_CAP),
  });
  const actionItems = new ActionItemsService(db, conversations, jobs, newId, clock);
  const analysis = new AnalysisService(db, engine, conversations, metrics, clock, actionItems);
  conversations.onCompleted = (trx, conv) => jobs.enqueue(trx, 'insights.generate', { conversationId: conv.id, userId: conv.user_id });
  const accounts = new AccountsService(db, config.tiers, newId);
  const autoAnalysis = new AutoAnalysis(db, accounts, jobs, analysis, pino({ name: 'auto-analyse', level: config.logLevel }));
  conversations.onTranscriptReady = (trx, conv) => autoAnalysis.onTranscriptReady(trx, conv);
  const rateLimiter = overrides.rateLimiter ?? createDbRateLimiter(db, () => clock().getTime(), (n) => metrics.dbBatchSize.observe({ statement: 'rate_limit' }, n));
  // Runs first on close (the list runs backwards): unused leases go back while the database is open.
  onClose.push(async () => {
    await rateLimiter.close?.();
  });
  const container: Container = {
    config,
    database,
    db,
    newId,
    clock,
    metrics,
    accounts,
    dashboardSessions: new DashboardSessions(db, accounts, config.dashboard.sessionHours, clock),
    conversations,
    search: new SearchService(conversations),
    actionItems,
    engine,
    analysis,
    autoAnalysis,
    jobs,
    secrets,
    calendarFeeds,
    stt: createSpeechToText(config.stt, { fetch: overrides.sttFetch }),
    audioTools: createAudioTools(config.stt),
    audioDir: join(config.dataDir, 'audio'),
    rateLimiter,
    onClose,
    async close() {
      for (const fn of [...onClose].reverse()) await fn();
      await database.close();
    },
  };
  return container;
}

/**
 * Searches admitted at once on PostgreSQL by default: half the pool (the other half is for every
 * other request), and at most one fewer than this machine's cores, so that a burst of searches,
 * each holding a core in its database process, cannot leave none for the rest.
 */
export function defaultSearchesAtOnce(poolSize: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(Math.floor(poolSize / 2), cores - 1));
}
