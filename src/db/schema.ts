import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

// Kysely's view of the tables created by src/db/migrations. Timestamps come back as Date on both
// PostgreSQL (node-postgres) and PGlite; jsonb columns are written as JSON text and read as values.
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  tier: string;
  timezone: Generated<string>;
  language: Generated<string>;
  created_at: GeneratedTimestamp;
  /** Analyse new conversations automatically; null follows the plan (on where credits are unlimited). */
  auto_analyse: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  hash: string;
  created_at: GeneratedTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface ConversationsTable {
  id: string;
  user_id: string;
  title: string;
  kind: 'meeting' | 'chat';
  status: 'active' | 'in_progress' | 'completed' | 'abandoned';
  start_time: NullableTimestamp;
  end_time: NullableTimestamp;
  time_zone: ColumnType<string | null, string | null | undefined, string | null>;
  prompt_id: string | null;
  llm_model: string | null;
  company_name: string | null;
  metadata: Json<Record<string, unknown>>;
  segment_count: Generated<number>;
  has_insights: Generated<boolean>;
  share_token: string | null;
  search: ColumnType<string, never, never>;
  /** The transcript's words (no positions), kept by a trigger on segment inserts (migration 0008). */
  transcript_search: ColumnType<string, never, never>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: NullableTimestamp;
}

export interface SegmentsTable {
  conversation_id: string;
  idx: number;
  speaker: string;
  text: string;
  ts: NullableTimestamp;
  role: string | null;
  extra: Json<Record<string, unknown>> | null;
  search: ColumnType<string, never, never>;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  conversation_id: string;
  created_at: GeneratedTimestamp;
}

export interface RateBucketsTable {
  user_id: string;
  bucket: number;
  count: number;
  /** How many requests the statement that last changed this row admitted. */
  last_admitted: Generated<number>;
}

export interface AnalysesTable {
  conversation_id: string;
  kind: string;
  result: Json<Record<string, unknown>>;
  engine: string;
  created_at: GeneratedTimestamp;
  /** The transcript's speakers changed since it was generated (migration 0010). */
  stale: Generated<boolean>;
}

export interface AiUsageTable {
  user_id: string;
  period: string;
  used: number;
}

export interface WebhooksTable {
  id: string;
  user_id: string;
  url: string;
  events: Json<string[]>;
  secret: string;
  created_at: GeneratedTimestamp;
  disabled_at: NullableTimestamp;
  disabled_reason: string | null;
  failing_since: NullableTimestamp;
  deleted_at: NullableTimestamp;
  /** Consecutive attempts that timed out; any answer resets it. */
  timeouts_in_row: Generated<number>;
  /** While in the future, no delivery to this endpoint is claimed (the circuit breaker is open). */
  circuit_open_until: NullableTimestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  user_id: string;
  event: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed' | 'disabled';
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  locked_until: NullableTimestamp;
  last_attempt_at: NullableTimestamp;
  response_code: number | null;
  latency_ms: number | null;
  last_error: string | null;
  created_at: GeneratedTimestamp;
  delivered_at: NullableTimestamp;
  /** Attempt count when the current retry run began (a replay starts a new run). */
  retry_base: Generated<number>;
  /** Id of the worker holding the lease; its write-backs are fenced on it. */
  locked_by: string | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  attempt: number;
  attempted_at: Timestamp;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

export interface CalendarSourcesTable {
  user_id: string;
  type: 'ics' | 'google';
  config: Json<Record<string, unknown>>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** Live conversations per user, kind and status, kept by a trigger (migration 0007). */
export interface ConversationCountsTable {
  user_id: string;
  kind: string;
  status: string;
  n: ColumnType<string | number, never, never>;
}

export interface ConversationDaysTable {
  user_id: string;
  sort: 'created' | 'start';
  day: ColumnType<string, string, never>;
  kind: string;
  status: string;
  n: ColumnType<string | number, never, never>;
}

export interface ActionItemsTable {
  id: string;
  user_id: string;
  conversation_id: string;
  seq: ColumnType<string, never, never>;
  item: string;
  owner: string | null;
  /** YYYY-MM-DD; read it with to_char (drivers turn a date into a local-time Date). */
  due_date: ColumnType<string | null, string | null | undefined, string | null>;
  priority: string;
  confidence: number;
  evidence: Json<Array<{ segmentIndex: number; quote: string }>>;
  status: ColumnType<'open' | 'done' | 'dismissed', 'open' | 'done' | 'dismissed' | undefined, 'open' | 'done' | 'dismissed'>;
  suggested_status: ColumnType<'done' | null, 'done' | null | undefined, 'done' | null>;
  mentions: ColumnType<Array<{ conversationId: string; segmentIndex: number; quote: string; suggestsDone: boolean }>, string | undefined, string>;
  edited: ColumnType<string[], string | undefined, string>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** What the background key-point job did with a conversation (see migration 0012). */
export interface AutoAnalysesTable {
  conversation_id: string;
  user_id: string;
  outcome: 'generated' | 'skipped' | 'failed';
  reason: string | null;
  updated_at: GeneratedTimestamp;
}

export interface DashboardSessionsTable {
  /** SHA-256 hex of the session token (the token itself is only in the browser's cookie). */
  id: string;
  user_id: string;
  key_id: string;
  csrf_token: string;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
}

export interface DB {
  users: UsersTable;
  api_keys: ApiKeysTable;
  conversations: ConversationsTable;
  segments: SegmentsTable;
  idempotency_keys: IdempotencyKeysTable;
  rate_buckets: RateBucketsTable;
  analyses: AnalysesTable;
  ai_usage: AiUsageTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  calendar_sources: CalendarSourcesTable;
  conversation_counts: ConversationCountsTable;
  conversation_days: ConversationDaysTable;
  action_items: ActionItemsTable;
  dashboard_sessions: DashboardSessionsTable;
  auto_analyses: AutoAnalysesTable;
}

export type UserRow = Selectable<UsersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type ConversationRow = Omit<Selectable<ConversationsTable>, 'search' | 'transcript_search'>;
export type NewConversation = Insertable<ConversationsTable>;
export type SegmentRow = Omit<Selectable<SegmentsTable>, 'search'>;
export type NewSegment = Insertable<SegmentsTable>;
