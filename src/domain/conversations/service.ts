import type { Kysely, Transaction } from 'kysely';
import { FairQueue } from '../fair-queue.js';
import type { ConversationRow, DB } from '../../db/schema.js';
import * as repo from '../../db/repos/conversations.js';
import { appendBatch, appendStatement, type AppendOutcome, type AppendStatementInput } from '../../db/repos/append.js';
import { AppError, notFound } from '../errors.js';
import { sha256Hex, type IdGenerator } from '../ids.js';
import type { Segment } from '../segment.js';
import { enqueueEvents, type OutboxEvent } from '../webhooks/outbox.js';
import { parseContent, type ContentMessage } from '../transcripts/content.js';
import { checkContentLimits, checkMessageSize } from '../transcripts/limits.js';
import { assertNoNul, toWellFormed } from './input-text.js';
import { TranscriptCache } from './transcript-cache.js';
import { isTimeZone, TIME_ZONE_HINT } from '../time-zone.js';
import { Coalescer, ItemFailure } from '../../db/coalesce.js';
import type { Metrics } from '../../http/metrics.js';
import { presentConversation, renderContent, toSegment, toMessage, type ApiConversation } from './present.js';
import { speakerStats } from '../transcripts/timing.js';
import { withStatementLimits } from '../../db/statement-limits.js';
import { inBackground } from '../../db/statement-priority.js';
import { bestSegmentMatches } from '../../db/repos/search.js';
import { markedSnippet, markedTitle } from '../search/snippet.js';
import { isoOrNull } from '../iso.js';

/** Where a listed conversation matched its search: the best segment, or the title. */
export interface SearchMatch {
  field: 'transcript' | 'title';
  segmentIndex: number | null;
  speaker: string | null;
  timestamp: string | null;
  /** HTML-escaped text with the matched words in <mark>…</mark>. */
  snippet: string;
}

export type Status = ConversationRow['status'];
export type Kind = ConversationRow['kind'];

export interface CreateInput {
  title?: string;
  kind?: Kind;
  status?: Status;
  startTime?: string;
  endTime?: string;
  /** IANA zone; validated by the caller's schema (see isTimeZone) and again here. */
  timeZone?: string;
  promptId?: string;
  llmModel?: string;
  companyName?: string;
  metadata?: Record<string, unknown>;
  content?: string;
  messages?: ContentMessage[];
  segments?: { speaker: string; text: string; timestamp?: string | null }[];
  idempotencyKey?: string;
}

export interface AppendInput {
  messages: ContentMessage[];
  status?: Status;
  metadata?: Record<string, unknown>;
}

/** Called inside the transaction that completes a chat, so follow-up work commits with it. */
export type CompletedHook = (trx: Transaction<DB>, conv: ConversationRow) => Promise<void>;

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export class ConversationsService {
  onCompleted: CompletedHook | null = null;
  /**
   * Called inside every transaction after which a conversation may have its transcript complete:
   * created, an import finished, or its status became `completed` (the hook decides whether the row
   * qualifies), so work it enqueues commits with the change.
   */
  onTranscriptReady: CompletedHook | null = null;
  /** Transcript bodies up to half the budget each: the largest transcripts (20,000 segments, about 10 MB) are cached too. */
  private readonly transcripts = new TranscriptCache(64 * 1024 * 1024, 2);
  /** `content` of GET /conversations/{id}, rendered from every segment, by the same versions. */
  private readonly contents = new TranscriptCache<string>();
  /** Transcript bodies being built: concurrent readers of one version share one build. */
  private readonly transcriptBuilds = new Map<string, Promise<Buffer>>();
  /** Contents being loaded: concurrent readers of one version share one load. */
  private readonly contentLoads = new Map<string, Promise<string>>();
  /** Concurrent reads' lookups by id go out together (see Coalescer): one round trip for a burst. */
  private readonly lookups: Coalescer<'', string, ConversationRow | undefined>;
  private readonly searches: FairQueue;
  /** Concurrent appends go out together: one statement and one commit for a burst (group commit). */
  private readonly appends: Coalescer<'', AppendStatementInput, AppendOutcome>;
  /**
   * Unfiltered-by-search list pages: identical requests of one user (same filters and position) made
   * while that page's statement is in flight are answered together by the next statement (see
   * Coalescer: each is answered by a statement that starts after it arrived, so none reads stale).
   */
  private readonly pages: Coalescer<string, repo.ListFilters, { data: ApiConversation[]; total: number; next: repo.ListCursor | null }>;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly newId: IdGenerator,
    private readonly shareBase: string,
    private readonly clock: () => Date = () => new Date(),
    private readonly metrics?: Pick<Metrics, 'dbBatchSize' | 'dbBatchRetries'>,
    /** PostgreSQL: a list search running longer is stopped (0: only the general statement limit). */
    private readonly limits: { searchTimeoutMs?: number; searchesAtOnce?: number; cancellable?: boolean; searchTotalCap?: number } = {},
  ) {
    // Searches may use at most half the pool, and a user two connections of it; the rest wait their
    // turn (no search counts as small, so there is no extra lane).
    this.searches = new FairQueue({ threads: limits.searchesAtOnce ?? 4, perUser: 2, smallSize: -1 });
    this.lookups = new Coalescer((_key, ids) => repo.findConversationsByIds(this.db, ids), {
      onBatch: (n) => this.metrics?.dbBatchSize.observe({ statement: 'conversation_lookup' }, n),
    });
    this.pages = new Coalescer(async (_key, items) => {
      // Every item has the same key, so the same filters: the first one's stand for all.
      const { rows, total, next } = await repo.listConversations(this.db, items[0]);
      const page = { data: rows.map((r) => this.present(r)), total, next };
      return items.map(() => page);
    }, { onBatch: (n) => this.metrics?.dbBatchSize.observe({ statement: 'conversation_list' }, n) });
    // Two in flight: the next batch is written while the previous one waits for its commit.
    this.appends = new Coalescer((_key, batch) => this.appendGroup(batch), {
      maxInFlight: 2,
      onBatch: (n) => this.metrics?.dbBatchSize.observe({ statement: 'append' }, n),
    });
  }

  /**
   * Runs a search once admitted (at most `searchesAtOnce` at a time, two per user; the rest wait
   * their turn), its statements under the search's own time limit, and cancelled (PostgreSQL) or
   * taken out of the queue when `signal` says the client has gone.
   */
  async searched<T>(userId: string, read: (db: Kysely<DB> | Transaction<DB>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const admission = await this.searches.acquire(userId, 1, signal);
    try {
      const limits = { timeoutMs: this.limits.searchTimeoutMs, signal: this.limits.cancellable ? signal : undefined, search: true };
      // The embedded database lets interactive statements go before a search's (statement-priority.ts).
      return await inBackground(() => withStatementLimits(this.db, limits, read));
    } finally {
      admission.release();
    }
  }

  /** List searches running and waiting for their turn. */
  get searchLoad(): { running: number; waiting: number } {
    return { running: this.searches.running, waiting: this.searches.waiting };
  }

  present(row: ConversationRow): ApiConversation {
    return presentConversation(row, this.shareBase);
  }

  async list(
    filters: repo.ListFilters,
    signal?: AbortSignal,
  ): Promise<{ data: Array<ApiConversation & { match?: SearchMatch }>; total: number; next: repo.ListCursor | null; capped: boolean }> {
    const term = filters.search;
    if (!term) {
      // Requests that share a page share its (read-only) result.
      const page = await this.pages.call(pageKey(filters), filters);
      return { ...page, capped: false };
    }
    // A search: the page, then where each of its conversations matched (the best segment, else the
    // title), under the search's own statement limit and admission.
    return this.searched(filters.userId, async (db) => {
      const { rows, total, next, capped = false } = await repo.listConversations(db, { ...filters, totalCap: filters.totalCap ?? this.limits.searchTotalCap });
      const best = new Map((await bestSegmentMatches(db, rows.map((r) => r.id), term)).map((m) => [m.conversation_id, m]));
      const data = rows.map((r) => {
        const m = best.get(r.id);
        const match: SearchMatch = m
          ? { field: 'transcript', segmentIndex: m.idx, speaker: m.speaker, timestamp: isoOrNull(m.ts), snippet: markedSnippet(m.snippet) }
          : { field: 'title', segmentIndex: null, speaker: null, timestamp: null, snippet: markedTitle(r.title, term) };
        return { ...this.present(r), match };
      });
      return { data, total, next, capped };
    }, signal);
  }

  /**
   * The user's live conversation `id`, or 404. `known` is the row as a statement made for this
   * request already read it (null: not found); without it, the row is read now (batched with other
   * reads).
   */
  async require(userId: string, id: string, known?: ConversationRow | null): Promise<ConversationRow> {
    const row = known !== undefined ? known : await this.lookups.call('', id);
    if (!row || row.id !== id || row.user_id !== userId || row.deleted_at !== null) throw notFound();
    return row;
  }

  async segments(conversationId: string): Promise<Segment[]> {
    return (await repo.listSegments(this.db, conversationId)).map(toSegment);
  }

  async get(userId: string, id: string, includeInsights: boolean, known?: ConversationRow | null) {
    const row = await this.require(userId, id, known);
    const [content, insights] = await Promise.all([
      this.content(row),
      includeInsights ? repo.findAnalysis(this.db, id, 'insights') : Promise.resolve(undefined),
    ]);
    return {
      ...this.present(row),
      content,
      ...(includeInsights ? { insights: (insights?.result as Record<string, unknown> | undefined) ?? null } : {}),
    };
  }

  /**
   * The whole transcript as text, from the cache when current. Twenty readers of a 20,000-segment
   * conversation at once load and render it once, instead of twenty times over the event loop.
   */
  private content(row: ConversationRow): Promise<string> {
    const key = TranscriptCache.key(row.id, row.segment_count, row.updated_at);
    const cached = this.contents.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    let loading = this.contentLoads.get(key);
    if (!loading) {
      loading = this.renderedContent(row)
        .then((text) => {
          this.contents.set(key, text);
          return text;
        })
        .finally(() => this.contentLoads.delete(key));
      this.contentLoads.set(key, loading);
    }
    return loading;
  }

  /**
   * `GET …/transcript`'s body, `{"data":{id,segments,speakers}}`, served from the cache when current.
   * Concurrent readers of one version share one build.
   */
  async transcriptJson(userId: string, id: string, known?: ConversationRow | null): Promise<Buffer> {
    const row = await this.require(userId, id, known);
    const key = TranscriptCache.key(row.id, row.segment_count, row.updated_at);
    const cached = this.transcripts.get(key);
    if (cached !== undefined) return cached;
    let building = this.transcriptBuilds.get(key);
    if (!building) {
      building = this.buildTranscriptJson(row)
        .then((json) => {
          this.transcripts.set(key, json);
          return json;
        })
        .finally(() => this.transcriptBuilds.delete(key));
      this.transcriptBuilds.set(key, building);
    }
    return building;
  }

  private async renderedContent(row: ConversationRow): Promise<string> {
    const pages: string[] = [];
    for await (const page of this.segmentPages(row)) if (page.length) pages.push(renderContent(page));
    return pages.join('\n');
  }

  /**
   * This version's segments (the first `segment_count`; appends may add more meanwhile), a page at a
   * time in index order, each page read in a turn of the event loop of its own.
   */
  private async *segmentPages(row: ConversationRow): AsyncGenerator<Segment[]> {
    for (let from = 0; from < row.segment_count; from += TRANSCRIPT_PAGE) {
      if (from) await new Promise((resolve) => setImmediate(resolve));
      yield (await repo.listSegmentsRange(this.db, row.id, from, Math.min(from + TRANSCRIPT_PAGE, row.segment_count))).map(toSegment);
    }
  }

  /**
   * The transcript's JSON built a page of segments at a time, read in index order and encoded between
   * turns of the event loop, so a 20,000-segment transcript never holds other requests up for
   * longer than one page takes.
   */
  private async buildTranscriptJson(row: ConversationRow): Promise<Buffer> {
    const parts: Buffer[] = [Buffer.from(`{"data":{"id":${JSON.stringify(row.id)},"segments":[`)];
    const all: Segment[] = [];
    for await (const page of this.segmentPages(row)) {
      if (page.length) parts.push(Buffer.from((all.length ? ',' : '') + JSON.stringify(page).slice(1, -1)));
      all.push(...page);
    }
    // Talk time per speaker comes with the transcript: counted, so it spends no AI credit.
    parts.push(Buffer.from(`],"speakers":${JSON.stringify(speakerStats(all, row.kind))}}}`));
    return Buffer.concat(parts);
  }

  /**
   * Creates a conversation; with an idempotency key a repeat returns the first one (`replayed`).
   * The same key with another body is a conflict, unless `keyReuse` is 'replay': Converra's
   * document says the existing conversation is returned then, and `mismatch` tells the caller.
   */
  async create(
    userId: string,
    input: CreateInput,
    opts: { inTransaction?: (trx: Transaction<DB>, row: ConversationRow) => Promise<void>; keyReuse?: 'conflict' | 'replay' } = {},
  ): Promise<{ conversation: ApiConversation; replayed: boolean; mismatch: boolean }> {
    const prepared = this.prepare(input);
    const requestHash = input.idempotencyKey ? sha256Hex(stableStringify({ ...input, idempotencyKey: undefined })) : null;
    const id = this.newId('sess');
    const keyReuse = opts.keyReuse ?? 'conflict';
    return this.db.transaction().execute(async (trx) => {
      if (input.idempotencyKey) {
        const replay = await this.checkIdempotency(trx, userId, input.idempotencyKey, requestHash!, id, keyReuse);
        if (replay) return { conversation: this.present(replay.row), replayed: true, mismatch: replay.mismatch };
      }
      const row = await repo.insertConversation(trx, { ...prepared.row, id, user_id: userId }, prepared.segments);
      await this.emit(trx, userId, [
        { event: 'conversation.created', data: { conversationId: id } },
        ...(prepared.segments.length ? [{ event: 'transcript.ready' as const, data: { conversationId: id, segmentCount: prepared.segments.length } }] : []),
      ]);
      if (row.kind === 'chat' && row.status === 'completed' && this.onCompleted) await this.onCompleted(trx, row);
      if (this.onTranscriptReady) await this.onTranscriptReady(trx, row);
      if (opts.inTransaction) await opts.inTransaction(trx, row);
      return { conversation: this.present(row), replayed: false, mismatch: false };
    });
  }

  private async checkIdempotency(
    trx: Transaction<DB>,
    userId: string,
    key: string,
    hash: string,
    newConversationId: string,
    keyReuse: 'conflict' | 'replay',
  ): Promise<{ row: ConversationRow; mismatch: boolean } | null> {
    const existing = await repo.findIdempotencyKey(trx, userId, key);
    if (existing && this.clock().getTime() - new Date(existing.created_at).getTime() > IDEMPOTENCY_TTL_MS) {
      await repo.deleteIdempotencyKey(trx, userId, key);
    } else if (existing) {
      return this.replay(trx, userId, existing, hash, keyReuse);
    }
    // Stamped with the same clock that judges expiry (not the database's now()).
    const claimed = await repo.claimIdempotencyKey(trx, { user_id: userId, key, request_hash: hash, conversation_id: newConversationId, created_at: this.clock() });
    if (claimed) return null;
    // A concurrent request with the same key committed first.
    const winner = await repo.findIdempotencyKey(trx, userId, key);
    if (!winner) throw new AppError('conflict', 'A request with this idempotency key is in progress; retry');
    return this.replay(trx, userId, winner, hash, keyReuse);
  }

  private async replay(
    trx: Transaction<DB>,
    userId: string,
    existing: { request_hash: string; conversation_id: string },
    hash: string,
    keyReuse: 'conflict' | 'replay',
  ): Promise<{ row: ConversationRow; mismatch: boolean }> {
    const mismatch = existing.request_hash !== hash;
    if (mismatch && keyReuse === 'conflict') {
      throw new AppError('idempotency_conflict', 'This idempotency key was already used with a different request body');
    }
    const row = await repo.findConversation(trx, userId, existing.conversation_id, { includeDeleted: true });
    if (!row) throw notFound();
    return { row, mismatch };
  }

  /** Turns any accepted create form into rows; throws 400/413 before anything is written. */
  prepare(input: CreateInput) {
    // Direct callers (file imports, the admin CLI) are not behind the HTTP layer's NUL check.
    assertNoNul(input);
    const sources = [input.content !== undefined, input.messages !== undefined, input.segments !== undefined].filter(Boolean).length;
    if (sources > 1) {
      throw new AppError('validation_error', 'Give the transcript once: content, messages or segments', {
        details: { content: 'Only one of content, messages, segments may be given' },
      });
    }
    let messages: ContentMessage[] = [];
    let metadata = input.metadata ?? {};
    if (input.content !== undefined) {
      checkContentLimits({ content: input.content });
      if (input.content.trim()) {
        const parsed = parseContent(input.content, input.kind);
        messages = parsed.messages;
        if (parsed.metadata) metadata = { ...parsed.metadata, ...metadata };
      }
    } else if (input.messages) {
      messages = input.messages;
    } else if (input.segments) {
      checkSegmentLimits(input.segments);
      messages = input.segments.map((s) => ({ role: null, speaker: s.speaker, text: s.text, ...(s.timestamp ? { timestamp: s.timestamp } : {}) }));
    }
    if (!input.segments) checkContentLimits({ messages });
    // JSON-string content may carry "\u0000" (or lone surrogate) escapes that only appear once parsed.
    if (input.content !== undefined) {
      assertNoNul({ messages, metadata }, 'content');
      messages = toWellFormed(messages);
      metadata = toWellFormed(metadata);
    }

    const kind: Kind = input.kind ?? (input.segments ? 'meeting' : messages.some((m) => m.role) ? 'chat' : messages.length ? 'meeting' : 'chat');
    const now = this.clock();
    const fallback = kind === 'chat' ? chatFallbackTimes(messages, now) : [];
    const segments = messages.map((m, idx) => toSegmentRow(m, idx, fallback[idx] ?? null));
    const times = segments
      .map((s) => s.ts)
      .filter((t): t is Date => t instanceof Date)
      .sort((a, b) => a.getTime() - b.getTime());
    const startTime = input.startTime ? new Date(input.startTime) : (times[0] ?? (kind === 'meeting' ? null : now));
    const endTime = input.endTime ? new Date(input.endTime) : (times.at(-1) ?? null);
    if (startTime && endTime && endTime < startTime) {
      throw new AppError('validation_error', 'endTime is before startTime', { details: { endTime: 'Must not be before startTime' } });
    }
    if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) {
      throw new AppError('validation_error', 'Unknown time zone', { details: { timeZone: TIME_ZONE_HINT } });
    }
    const status: Status = input.status ?? (kind === 'meeting' || messages.length ? 'completed' : 'active');
    return {
      row: {
        title: input.title?.trim() || defaultTitle(kind, messages, startTime ?? now),
        kind,
        status,
        start_time: startTime,
        end_time: endTime,
        time_zone: input.timeZone ?? null,
        prompt_id: input.promptId ?? null,
        llm_model: input.llmModel ?? null,
        company_name: input.companyName ?? null,
        metadata: JSON.stringify(metadata),
      },
      segments,
    };
  }

  async append(userId: string, id: string, input: AppendInput, opts: { minimal?: boolean } = {}) {
    checkContentLimits({ messages: input.messages });
    if (!input.messages.length) {
      throw new AppError('validation_error', 'At least one message is required', { details: { messages: 'At least one message is required' } });
    }
    const now = this.clock();
    // Converra: "active" is the default and means "no change".
    const requested = input.status && input.status !== 'active' ? input.status : null;
    const statement = {
      userId,
      conversationId: id,
      segments: input.messages.map((m) => {
        const { idx: _drop, ...rest } = toSegmentRow(m, 0, now);
        return rest;
      }),
      status: requested,
      metadata: input.metadata ?? null,
      changedFields: ['messages', 'segmentCount', ...(requested ? ['status'] : []), ...(input.metadata ? ['metadata'] : [])],
      now,
    };
    // One statement does the whole append; completing a conversation also queues its follow-up work
    // (a chat's insights, key points for those who analyse automatically), which needs the same transaction.
    const outcome =
      requested === 'completed' && (this.onCompleted || this.onTranscriptReady)
        ? await this.db.transaction().execute(async (trx) => {
            const o = await appendStatement(trx, statement);
            if (o.kind === 'ok' && o.previousStatus !== 'completed') {
              if (o.row.kind === 'chat' && this.onCompleted) await this.onCompleted(trx, o.row);
              if (this.onTranscriptReady) await this.onTranscriptReady(trx, o.row);
            }
            return o;
          })
        : await this.appends.call('', statement);
    if (outcome.kind === 'not_found') throw notFound();
    if (outcome.kind === 'status_conflict') {
      throw new AppError('conflict', `Conversation is already ${outcome.current}; its status cannot change to ${requested}`);
    }
    const base = { ...this.present(outcome.row), userId };
    if (opts.minimal) return base;
    const all = (await repo.listSegments(this.db, id)).map(toSegment);
    return { ...base, content: renderContent(all), messages: all.map(toMessage) };
  }


  /**
   * Runs a batch of appends in as few statements as it can: each statement takes a conversation at
   * most once, in arrival order. If a grouped statement fails, its appends are retried one by one,
   * so one bad append fails alone.
   */
  private async appendGroup(batch: AppendStatementInput[]): Promise<(AppendOutcome | ItemFailure)[]> {
    const out = new Array<AppendOutcome | ItemFailure>(batch.length);
    let pending = batch.map((a, i) => ({ a, i }));
    while (pending.length > 0) {
      const seen = new Set<string>();
      const round: typeof pending = [];
      const next: typeof pending = [];
      for (const p of pending) {
        if (seen.has(p.a.conversationId)) next.push(p);
        else {
          seen.add(p.a.conversationId);
          round.push(p);
        }
      }
      try {
        const results = await appendBatch(this.db, round.map((p) => p.a));
        round.forEach((p, k) => (out[p.i] = results[k]));
      } catch (err) {
        if (round.length === 1) {
          out[round[0].i] = new ItemFailure(err);
        } else {
          this.metrics?.dbBatchRetries.inc({ statement: 'append' });
          for (const p of round) out[p.i] = await appendStatement(this.db, p.a).catch((e: unknown) => new ItemFailure(e));
        }
      }
      pending = next;
    }
    return out;
  }

  async retitle(userId: string, id: string, title: string) {
    return this.db.transaction().execute(async (trx) => {
      const conv = await repo.findConversation(trx, userId, id, { forUpdate: true });
      if (!conv) throw notFound();
      const row = await repo.retitle(trx, id, title);
      if (conv.title !== title) {
        await this.emit(trx, userId, [{ event: 'conversation.updated', data: { conversationId: id, title, changedFields: ['title'] } }]);
      }
      return this.present(row);
    });
  }

  async remove(userId: string, id: string) {
    return this.db.transaction().execute(async (trx) => {
      const conv = await repo.findConversation(trx, userId, id, { forUpdate: true });
      if (!conv) throw notFound();
      // The share link dies with the delete: a restore must not revive a URL the owner thought gone.
      await repo.updateConversation(trx, id, { deleted_at: this.clock(), share_token: null });
      await this.emit(trx, userId, [{ event: 'conversation.deleted', data: { conversationId: id } }]);
      return { id, deleted: true as const };
    });
  }

  /** Each conversation's one-line summary (first sentence of its stored summary) and speakers, for list rows. */
  async overviews(ids: string[]): Promise<Map<string, { summary: string | null; speakers: string[] }>> {
    const found = await repo.listOverviews(this.db, ids);
    for (const o of found.values()) {
      if (o.summary) {
        const first = /^.+?[.!?](?=\s|$)/s.exec(o.summary.trim())?.[0] ?? o.summary.trim();
        o.summary = first.length > 200 ? `${first.slice(0, 199).trimEnd()}…` : first;
      }
    }
    return found;
  }

  /** The trash: deleted conversations, which only restore brings back. */
  async listDeleted(userId: string, f: { limit: number; offset: number; id?: string }) {
    const { rows, total } = await repo.listDeletedConversations(this.db, userId, f);
    return { data: rows.map((r) => ({ ...this.present(r), deletedAt: r.deleted_at!.toISOString() })), total };
  }

  async restore(userId: string, id: string) {
    const conv = await repo.findConversation(this.db, userId, id, { includeDeleted: true });
    if (!conv) throw notFound();
    const row = conv.deleted_at ? await repo.updateConversation(this.db, id, { deleted_at: null }) : conv;
    return this.present(row);
  }

  async emit(trx: Transaction<DB> | Kysely<DB>, userId: string, events: OutboxEvent[]) {
    await enqueueEvents(trx, this.newId, userId, events, this.clock());
  }
}

/** Segments read and encoded per turn of the event loop when a transcript's JSON is built. */
const TRANSCRIPT_PAGE = 2_000;

/** Everything that decides a list page: every filter, as given (dates as ISO text). */
function pageKey(f: repo.ListFilters): string {
  return JSON.stringify(f);
}

// Converra's 500-message limit is for chat logging; whole meeting transcripts (segments, file imports)
// routinely run to hundreds or thousands of segments, so they get their own, larger bounds.
export const MAX_SEGMENTS = 20_000;
export const MAX_TRANSCRIPT_BYTES = 8 * 1024 * 1024;

export function checkSegmentLimits(segments: { text: string }[]): void {
  if (segments.length > MAX_SEGMENTS) {
    throw new AppError(
      'payload_too_large',
      `${segments.length.toLocaleString('en')} segments is over the limit of ${MAX_SEGMENTS.toLocaleString('en')}: split the transcript into parts of at most ${MAX_SEGMENTS.toLocaleString('en')} segments (a caption file at a cue boundary) and send each as its own conversation`,
      { details: { segments: `At most ${MAX_SEGMENTS} segments` } },
    );
  }
  let total = 0;
  segments.forEach((s, i) => {
    checkMessageSize(s.text, `segments.${i}.text`);
    total += Buffer.byteLength(s.text);
  });
  if (total > MAX_TRANSCRIPT_BYTES) {
    throw new AppError('payload_too_large', `Transcript is over ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MB`, { details: { segments: 'Transcript too large' } });
  }
}

function toSegmentRow(m: ContentMessage, idx: number, defaultTime: Date | null) {
  const extra: Record<string, unknown> = {};
  for (const k of ['model', 'tokens', 'toolCalls', 'usage', 'latencyMs', 'metadata'] as const) {
    if (m[k] !== undefined && m[k] !== null) extra[k] = m[k];
  }
  return {
    idx,
    speaker: m.speaker,
    text: m.text,
    ts: m.timestamp ? new Date(m.timestamp) : defaultTime,
    role: m.role,
    extra: Object.keys(extra).length ? JSON.stringify(extra) : null,
  };
}

/**
 * A chat message without a timestamp takes the previous message's time (or the next one's, before the
 * first timestamped message); only a chat with no timestamps at all is stamped `now`. Stamping a
 * system prompt `now` ahead of messages from the past made endTime precede startTime.
 */
function chatFallbackTimes(messages: ContentMessage[], now: Date): Date[] {
  const own = messages.map((m) => (m.timestamp ? new Date(m.timestamp) : null));
  const out: Date[] = [];
  let prev: Date | null = null;
  for (let i = 0; i < own.length; i++) {
    prev = own[i] ?? prev;
    out.push(prev ?? own.slice(i).find((t): t is Date => t !== null) ?? now);
  }
  return out;
}

function defaultTitle(kind: Kind, messages: ContentMessage[], when: Date): string {
  const firstUser = messages.find((m) => m.role === 'user' && m.text.trim());
  if (kind === 'chat' && firstUser) {
    const t = firstUser.text.trim().replace(/\s+/g, ' ');
    return t.length > 60 ? `${t.slice(0, 57).trimEnd()}…` : t;
  }
  const day = when.toISOString().slice(0, 10);
  return kind === 'meeting' ? `Meeting on ${day}` : `Chat on ${day}`;
}

/** JSON with sorted keys, so that the same body always hashes the same. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
