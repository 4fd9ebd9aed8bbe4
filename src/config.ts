import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { tierNames, defaultTiers, tierSchema, type TierTable } from './domain/accounts/tiers.js';

// The only reader of process.env. Every setting has a default, so the server boots with no config.
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  COLLOQUY_DATA_DIR: z.string().default('./.colloquy'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // PostgreSQL stops any statement of the API running longer than this (0: no limit), and a list
  // search longer than the search limit; migrations and background jobs are not limited.
  COLLOQUY_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  COLLOQUY_SEARCH_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  // A list search counts its matches up to this many (beyond: totalRelation "gte"). Default 10,000 on
  // PostgreSQL, 1,000 on the embedded database (whose one thread runs the count for everyone).
  COLLOQUY_SEARCH_TOTAL_CAP: z.coerce.number().int().min(100).max(1_000_000).optional(),
  // Searches running at once per process (PostgreSQL); the rest wait their turn. Default: half the
  // pool, and one fewer than this machine's cores, so other requests always find a free core.
  COLLOQUY_SEARCHES_AT_ONCE: z.coerce.number().int().min(1).max(100).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COLLOQUY_PUBLIC_URL: z.string().url().optional(),
  COLLOQUY_CONFIG_FILE: z.string().optional(),
  COLLOQUY_WORKER: z.enum(['inline', 'off']).default('inline'),
  COLLOQUY_DEMO_USER: bool.default(true),
  COLLOQUY_TRUST_PROXY: bool.default(false),
  COLLOQUY_METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  COLLOQUY_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  COLLOQUY_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(300_000),
  COLLOQUY_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  COLLOQUY_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(100),
  COLLOQUY_AI_PROVIDER: z.enum(['local', 'openai', 'anthropic', 'openai-compatible']).default('local'),
  COLLOQUY_AI_MODEL: z.string().optional(),
  COLLOQUY_AI_BASE_URL: z.string().url().optional(),
  COLLOQUY_AI_API_KEY: z.string().optional(),
  COLLOQUY_AI_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  COLLOQUY_AI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  COLLOQUY_AI_CONTEXT_TOKENS: z.coerce.number().int().min(512).default(32_000),
  COLLOQUY_ENGINE_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  COLLOQUY_ENGINE_PER_USER: z.coerce.number().int().min(1).max(64).optional(),
  COLLOQUY_ENGINE_ABANDON_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  COLLOQUY_WEBHOOK_RETRY_SCHEDULE: z.string().optional(),
  COLLOQUY_WEBHOOKS_ALLOW_PRIVATE: bool.default(false),
  COLLOQUY_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  COLLOQUY_WEBHOOK_PER_USER: z.coerce.number().int().min(1).max(256).default(4),
  COLLOQUY_WEBHOOK_PER_ENDPOINT: z.coerce.number().int().min(1).max(2).default(2),
  COLLOQUY_WEBHOOK_CIRCUIT_TIMEOUTS: z.coerce.number().int().min(1).max(1000).default(3),
  COLLOQUY_WEBHOOK_CIRCUIT_COOLDOWN_MS: z.coerce.number().int().min(100).max(86_400_000).default(30_000),
  COLLOQUY_CALENDAR_ALLOW_PRIVATE: bool.default(false),
  COLLOQUY_SECRET_KEY: z.string().min(32, 'At least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  COLLOQUY_SHARE_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  COLLOQUY_DASHBOARD_REQUESTS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(3_600),
  COLLOQUY_DASHBOARD_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24 * 7),
  COLLOQUY_CALENDAR_EXPAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  COLLOQUY_GOOGLE_OAUTH_TOKEN_URL: z.string().url().default('https://oauth2.googleapis.com/token'),
  COLLOQUY_GOOGLE_CALENDAR_API_URL: z.string().url().default('https://www.googleapis.com/calendar/v3'),
  COLLOQUY_STT_PROVIDER: z.enum(['none', 'openai', 'openai-compatible', 'groq', 'deepgram', 'assemblyai', 'elevenlabs']).default('none'),
  COLLOQUY_STT_MODEL: z.string().optional(),
  COLLOQUY_STT_BASE_URL: z.string().url().optional(),
  COLLOQUY_STT_API_KEY: z.string().optional(),
  COLLOQUY_STT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(300_000),
  COLLOQUY_STT_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  // The provider's upload limit per request (OpenAI: 25 MB); longer recordings are split with ffmpeg.
  COLLOQUY_STT_UPLOAD_LIMIT_MB: z.coerce.number().positive().max(10_000).optional(),
  COLLOQUY_STT_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(3),
  COLLOQUY_AUDIO_MAX_MB: z.coerce.number().positive().max(100_000).default(500),
  COLLOQUY_FFMPEG_PATH: z.string().default('ffmpeg'),
  COLLOQUY_FFPROBE_PATH: z.string().default('ffprobe'),
});

const fileSchema = z
  .object({
    tiers: z.partialRecord(z.enum(tierNames), tierSchema.partial()).optional(),
  })
  .strict();

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  poolSize: number;
  /** PostgreSQL statement limits in ms (0: none): every API statement, and list searches. */
  statementTimeoutMs: number;
  searchTimeoutMs: number;
  /** A list search's exact total goes up to this many matches (null: the database's default). */
  searchTotalCap: number | null;
  /** Searches admitted at once on PostgreSQL (null: the default, see COLLOQUY_SEARCHES_AT_ONCE). */
  searchesAtOnce: number | null;
  logLevel: Env['LOG_LEVEL'];
  publicUrl: string | null;
  worker: Env['COLLOQUY_WORKER'];
  demoUser: boolean;
  trustProxy: boolean;
  /** Bearer token that opens /metrics to non-loopback clients; without it /metrics is loopback only. */
  metricsToken: string | null;
  http: {
    /** The whole request (headers and body) must arrive within this. */
    requestTimeoutMs: number;
    /** A socket with no traffic either way is closed after this (it must outlast the slowest analysis). */
    idleTimeoutMs: number;
    /** How long SIGTERM/SIGINT waits for requests and workers to finish before the process exits. */
    shutdownGraceMs: number;
    /** Open connections per client address; 0: no limit. */
    maxConnectionsPerIp: number;
  };
  tiers: TierTable;
  ai: {
    provider: Env['COLLOQUY_AI_PROVIDER'];
    model: string | null;
    baseUrl: string | null;
    apiKey: string | null;
    timeoutMs: number;
    maxRetries: number;
    contextTokens: number;
    threads: number | null;
    /** Local-engine analyses one user may have running at once (null: half the threads). */
    perUser: number | null;
    /** How long a local analysis whose client went away may keep its thread. */
    abandonMs: number;
  };
  webhooks: {
    retrySchedule: string | null;
    allowPrivate: boolean;
    /** Requests in flight per worker process, over all endpoints. */
    concurrency: number;
    perUser: number;
    perEndpoint: number;
    circuit: { timeouts: number; cooldownMs: number };
  };
  calendar: { allowPrivate: boolean; expandTimeoutMs: number; googleTokenUrl: string; googleApiUrl: string };
  /** Key material for stored secrets (COLLOQUY_SECRET_KEY); see src/secret-key.ts for the default. */
  secretKey: string | null;
  /** Public share pages: fetches per client address per minute, per server process. */
  share: { ratePerMinute: number };
  /** Speech-to-text for audio imports; provider `none` refuses audio uploads. */
  stt: SttConfig;
  /** Dashboard sessions: their own hourly request limit (not the API quota) and lifetime. */
  dashboard: { requestsPerHour: number; sessionHours: number };
}

export interface SttConfig {
  provider: Env['COLLOQUY_STT_PROVIDER'];
  model: string | null;
  baseUrl: string | null;
  apiKey: string | null;
  timeoutMs: number;
  maxRetries: number;
  /** Bytes one provider request may carry; null: the provider's known limit. */
  uploadLimitBytes: number | null;
  /** Chunks of one recording transcribed at once. */
  concurrency: number;
  /** The largest audio upload accepted (413 beyond). */
  maxAudioBytes: number;
  ffmpegPath: string;
  ffprobePath: string;
}

export class ConfigError extends Error {}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Parses the environment (and the optional JSON config file) once; throws ConfigError on bad values. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  // An empty variable means "not set" (shells and .env files often leave them blank).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(`Invalid configuration: ${formatIssues(parsed.error)}`);
  const e = parsed.data;

  const filePath = e.COLLOQUY_CONFIG_FILE ? resolve(cwd, e.COLLOQUY_CONFIG_FILE) : resolve(cwd, 'colloquy.config.json');
  let tiers: TierTable = defaultTiers();
  if (existsSync(filePath)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(filePath, 'utf8'));
    } catch (err) {
      throw new ConfigError(`Config file ${filePath} is not valid JSON: ${(err as Error).message}`);
    }
    const file = fileSchema.safeParse(raw);
    if (!file.success) throw new ConfigError(`Invalid config file ${filePath}: ${formatIssues(file.error)}`);
    for (const [name, override] of Object.entries(file.data.tiers ?? {})) {
      tiers = { ...tiers, [name]: { ...tiers[name as keyof TierTable], ...override } };
    }
  } else if (e.COLLOQUY_CONFIG_FILE) {
    throw new ConfigError(`Config file ${filePath} does not exist`);
  }

  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(cwd, e.COLLOQUY_DATA_DIR),
    databaseUrl: e.DATABASE_URL ?? null,
    poolSize: e.DATABASE_POOL_SIZE,
    statementTimeoutMs: e.COLLOQUY_STATEMENT_TIMEOUT_MS,
    searchTimeoutMs: e.COLLOQUY_SEARCH_TIMEOUT_MS,
    searchTotalCap: e.COLLOQUY_SEARCH_TOTAL_CAP ?? null,
    searchesAtOnce: e.COLLOQUY_SEARCHES_AT_ONCE ?? null,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.COLLOQUY_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    worker: e.COLLOQUY_WORKER,
    demoUser: e.COLLOQUY_DEMO_USER,
    trustProxy: e.COLLOQUY_TRUST_PROXY,
    metricsToken: e.COLLOQUY_METRICS_TOKEN ?? null,
    http: { requestTimeoutMs: e.COLLOQUY_REQUEST_TIMEOUT_MS, idleTimeoutMs: e.COLLOQUY_IDLE_TIMEOUT_MS, shutdownGraceMs: e.COLLOQUY_SHUTDOWN_GRACE_MS, maxConnectionsPerIp: e.COLLOQUY_MAX_CONNECTIONS_PER_IP },
    tiers,
    ai: {
      provider: e.COLLOQUY_AI_PROVIDER,
      model: e.COLLOQUY_AI_MODEL ?? null,
      baseUrl: e.COLLOQUY_AI_BASE_URL ?? null,
      apiKey: e.COLLOQUY_AI_API_KEY ?? null,
      timeoutMs: e.COLLOQUY_AI_TIMEOUT_MS,
      maxRetries: e.COLLOQUY_AI_MAX_RETRIES,
      contextTokens: e.COLLOQUY_AI_CONTEXT_TOKENS,
      threads: e.COLLOQUY_ENGINE_THREADS ?? null,
      perUser: e.COLLOQUY_ENGINE_PER_USER ?? null,
      abandonMs: e.COLLOQUY_ENGINE_ABANDON_MS,
    },
    webhooks: {
      retrySchedule: e.COLLOQUY_WEBHOOK_RETRY_SCHEDULE ?? null,
      allowPrivate: e.COLLOQUY_WEBHOOKS_ALLOW_PRIVATE,
      concurrency: e.COLLOQUY_WEBHOOK_CONCURRENCY,
      perUser: e.COLLOQUY_WEBHOOK_PER_USER,
      perEndpoint: e.COLLOQUY_WEBHOOK_PER_ENDPOINT,
      circuit: { timeouts: e.COLLOQUY_WEBHOOK_CIRCUIT_TIMEOUTS, cooldownMs: e.COLLOQUY_WEBHOOK_CIRCUIT_COOLDOWN_MS },
    },
    calendar: {
      allowPrivate: e.COLLOQUY_CALENDAR_ALLOW_PRIVATE,
      expandTimeoutMs: e.COLLOQUY_CALENDAR_EXPAND_TIMEOUT_MS,
      googleTokenUrl: e.COLLOQUY_GOOGLE_OAUTH_TOKEN_URL,
      googleApiUrl: e.COLLOQUY_GOOGLE_CALENDAR_API_URL.replace(/\/+$/, ''),
    },
    secretKey: e.COLLOQUY_SECRET_KEY ?? null,
    share: { ratePerMinute: e.COLLOQUY_SHARE_RATE_PER_MINUTE },
    stt: {
      provider: e.COLLOQUY_STT_PROVIDER,
      model: e.COLLOQUY_STT_MODEL ?? null,
      baseUrl: e.COLLOQUY_STT_BASE_URL?.replace(/\/+$/, '') ?? null,
      apiKey: e.COLLOQUY_STT_API_KEY ?? null,
      timeoutMs: e.COLLOQUY_STT_TIMEOUT_MS,
      maxRetries: e.COLLOQUY_STT_MAX_RETRIES,
      uploadLimitBytes: e.COLLOQUY_STT_UPLOAD_LIMIT_MB ? Math.floor(e.COLLOQUY_STT_UPLOAD_LIMIT_MB * 1024 * 1024) : null,
      concurrency: e.COLLOQUY_STT_CONCURRENCY,
      maxAudioBytes: Math.floor(e.COLLOQUY_AUDIO_MAX_MB * 1024 * 1024),
      ffmpegPath: e.COLLOQUY_FFMPEG_PATH,
      ffprobePath: e.COLLOQUY_FFPROBE_PATH,
    },
    dashboard: { requestsPerHour: e.COLLOQUY_DASHBOARD_REQUESTS_PER_HOUR, sessionHours: e.COLLOQUY_DASHBOARD_SESSION_HOURS },
  };
}

/** The URL people use to reach this server (share links, printed URLs). */
export function publicUrl(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return config.publicUrl ?? `http://localhost:${config.port}`;
}
