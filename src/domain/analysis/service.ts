import type { Kysely, Transaction } from 'kysely';
import type { ConversationRow, DB } from '../../db/schema.js';
import * as convRepo from '../../db/repos/conversations.js';
import { userTimezone } from '../../db/repos/accounts.js';
import type { AnalysisEngine, EngineConversation } from '../../engines/types.js';
import type { EmailDraft, FeedbackResult, Insights, Keypoints, QueryResult } from '../../engines/schemas.js';
import type { Metrics } from '../../http/metrics.js';
import type { Principal } from '../accounts/service.js';
import { assertCreditAvailable, spendCredit } from '../accounts/credits.js';
import { AppError } from '../errors.js';
import type { ConversationsService } from '../conversations/service.js';
import type { OutboxEvent } from '../webhooks/outbox.js';
import { storeAnalysis, type CachedKind } from './store.js';
import { resolveUserSpeaker } from '../../engines/local/feedback-metrics.js';
import { answerAcross, type AcrossAnswer, type AcrossInput } from './across.js';
import type { ActionItemsService } from '../action-items/service.js';

type LoadedConversation = EngineConversation & { title: string; durationMinutes: number | null };

export interface Cached<T> {
  result: T;
  createdAt: Date;
  cached: boolean;
  /** The speakers were renamed since it was generated (GET only: a POST regenerates it). */
  stale?: boolean;
}

export type AutoSkipReason = 'deleted' | 'no_transcript' | 'exists' | 'no_credits';
export type AutoOutcome = { outcome: 'generated' } | { outcome: 'skipped'; reason: AutoSkipReason };

const skipNotes: Partial<Record<string, string>> = {
  no_credits: 'no AI credits were left',
  error: 'the analysis engine failed',
  ai_provider_error: 'the analysis engine failed',
};

/** Why automatic analysis did not generate this conversation's key points, as a sentence to add; '' when it did not try. */
async function autoSkipNote(db: Kysely<DB>, id: string): Promise<string> {
  const row = await db.selectFrom('auto_analyses').select(['outcome', 'reason']).where('conversation_id', '=', id).executeTakeFirst();
  const why = row && row.outcome !== 'generated' ? skipNotes[row.reason ?? ''] : undefined;
  return why ? ` (automatic analysis skipped it: ${why})` : '';
}

function keypointEvents(c: { id: string; title: string }, r: Keypoints): OutboxEvent[] {
  return [
    { event: 'conversation.keypoints.ready', data: { conversationId: c.id, title: c.title } },
    { event: 'conversation.summary.ready', data: { conversationId: c.id, title: c.title, sectionCount: r.sections.length } },
    { event: 'conversation.action_items.ready', data: { conversationId: c.id, actionItemCount: r.actionItems.length } },
  ];
}

const label: Record<CachedKind, string> = { keypoints: 'Key points', feedback: 'Feedback', insights: 'Insights' };

/**
 * Runs analyses through the configured engine with Convo's cache and credit rules: a cached result is
 * free; a generation spends one credit in the same transaction that stores it, so a failed generation
 * spends nothing; ready events are written to the outbox in that transaction too.
 */
export class AnalysisService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly engine: AnalysisEngine,
    private readonly conversations: ConversationsService,
    private readonly metrics: Metrics,
    private readonly clock: () => Date = () => new Date(),
    private readonly actionItems?: ActionItemsService,
  ) {}

  get engineName() {
    return this.engine.name;
  }

  async loadConversation(userId: string, id: string): Promise<LoadedConversation> {
    return this.withSegments(await this.conversations.require(userId, id));
  }

  private async withSegments(row: ConversationRow): Promise<LoadedConversation> {
    const id = row.id;
    // The conversation's own zone, else its owner's profile zone (UTC unless set).
    const [segments, timeZone] = await Promise.all([this.conversations.segments(id), row.time_zone ?? userTimezone(this.db, row.user_id)]);
    const start = row.start_time ? new Date(row.start_time) : null;
    const end = row.end_time ? new Date(row.end_time) : null;
    return {
      id: row.id,
      title: row.title,
      kind: row.kind,
      startTime: start ? start.toISOString() : null,
      timeZone,
      segments,
      durationMinutes: start && end ? Math.round((end.getTime() - start.getTime()) / 60_000) : null,
    };
  }

  async getCached<T>(userId: string, id: string, kind: CachedKind): Promise<Cached<T> & { title: string }> {
    const row = await this.conversations.require(userId, id);
    const hit = await convRepo.findAnalysis(this.db, id, kind);
    if (!hit) {
      const why = kind === 'keypoints' ? await autoSkipNote(this.db, id) : '';
      throw new AppError('not_found', `${label[kind]} have not been generated for this conversation yet; POST to generate them${why}`);
    }
    return { result: hit.result as T, createdAt: new Date(hit.created_at), cached: true, title: row.title, ...(hit.stale ? { stale: true } : {}) };
  }

  async keypoints(p: Principal, id: string, opts: { forceRefresh?: boolean; signal?: AbortSignal }) {
    const ctx = { userId: p.userId, signal: opts.signal };
    return this.generateCached<Keypoints>(
      p,
      id,
      'keypoints',
      opts.forceRefresh,
      null,
      (c) => this.engine.keypoints(c, ctx),
      keypointEvents,
      // Action items get their stable ids (and their tracked rows) before the key points are stored.
      (trx, r) => this.actionItems?.syncKeypoints(trx, p.userId, id, r),
    );
  }

  /**
   * Key points for a new conversation, generated in the background for a user who analyses new
   * conversations automatically. Spends one credit as POST /keypoints does, and never twice: the
   * conversation's row is locked while the result is stored, and a conversation that has key points
   * by then (a second run of the job, or the user's own POST meanwhile) is left as it is. Skipped,
   * with the reason, when deleted, empty, or out of credits; never an error for those.
   */
  async keypointsAutomatically(userId: string, limits: Pick<Principal['limits'], 'aiGenerationsPerMonth'>, id: string): Promise<AutoOutcome> {
    const skipped = (reason: AutoSkipReason): AutoOutcome => ({ outcome: 'skipped', reason });
    const row = await this.conversations.require(userId, id).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'not_found') return null;
      throw err;
    });
    if (!row) return skipped('deleted');
    if (row.segment_count === 0) return skipped('no_transcript');
    if (await convRepo.findAnalysis(this.db, id, 'keypoints')) return skipped('exists');
    const outOfCredits = (err: unknown) => err instanceof AppError && err.code === 'ai_limit_exceeded';
    try {
      await assertCreditAvailable(this.db, userId, limits.aiGenerationsPerMonth, this.clock());
    } catch (err) {
      if (outOfCredits(err)) return skipped('no_credits');
      throw err;
    }
    const conv = await this.withSegments(row);
    const result = await this.run('keypoints', () => this.engine.keypoints(conv, { userId }));
    return this.db.transaction().execute(async (trx) => {
      const live = await trx.selectFrom('conversations').select('id').where('id', '=', id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
      if (!live) return skipped('deleted');
      if (await convRepo.findAnalysis(trx, id, 'keypoints')) return skipped('exists');
      try {
        await spendCredit(trx, userId, limits.aiGenerationsPerMonth, this.clock());
      } catch (err) {
        if (outOfCredits(err)) return skipped('no_credits');
        throw err;
      }
      await this.actionItems?.syncKeypoints(trx, userId, id, result);
      await storeAnalysis(trx, id, 'keypoints', result, this.engine.name);
      await this.conversations.emit(trx, userId, keypointEvents({ id, title: conv.title }, result));
      return { outcome: 'generated' } as const;
    });
  }

  async feedback(p: Principal, id: string, opts: { forceRefresh?: boolean; userSpeakerName?: string; signal?: AbortSignal }) {
    // A cached result answers this request only if it is about the speaker the request resolves to
    // (the engines resolve names the same way: case, roles in parentheses, the main speaker by default).
    return this.generateCached<FeedbackResult>(
      p,
      id,
      'feedback',
      opts.forceRefresh,
      (cached, conv) => cached.userSpeakerName === resolveUserSpeaker(conv.segments, opts.userSpeakerName),
      (c) => this.engine.feedback(c, { userSpeakerName: opts.userSpeakerName }, { userId: p.userId, signal: opts.signal }),
      (c, r) => [{ event: 'conversation.feedback.ready', data: { conversationId: c.id, overallScore: r.overallScore } }],
    );
  }

  async insights(p: Principal, id: string, opts: { forceRefresh?: boolean; signal?: AbortSignal }) {
    const ctx = { userId: p.userId, signal: opts.signal };
    return this.generateCached<Insights>(p, id, 'insights', opts.forceRefresh, null, (c) => this.engine.insights(c, ctx), () => []);
  }

  /** Background insights after a chat completes (Converra's trigger); spends no credit. */
  async insightsInBackground(userId: string, id: string): Promise<void> {
    let conv;
    try {
      conv = await this.loadConversation(userId, id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return; // deleted meanwhile
      throw err;
    }
    const result = await this.run('insights', () => this.engine.insights(conv, { userId }));
    await this.db.transaction().execute((trx) => storeAnalysis(trx, id, 'insights', result, this.engine.name));
  }

  async query(p: Principal, id: string, query: string, signal?: AbortSignal): Promise<QueryResult & { id: string; query: string }> {
    await assertCreditAvailable(this.db, p.userId, p.limits.aiGenerationsPerMonth, this.clock());
    const conv = await this.loadConversation(p.userId, id);
    const result = await this.run('query', () => this.engine.query(conv, query, { userId: p.userId, signal }));
    await spendCredit(this.db, p.userId, p.limits.aiGenerationsPerMonth, this.clock());
    return { id, query, ...result, metadata: { ...result.metadata, conversationDuration: result.metadata.conversationDuration ?? conv.durationMinutes } };
  }

  /** A question across the user's conversations (one credit), cited segment by segment. */
  async queryAcross(p: Principal, input: AcrossInput, signal?: AbortSignal): Promise<AcrossAnswer> {
    await assertCreditAvailable(this.db, p.userId, p.limits.aiGenerationsPerMonth, this.clock());
    const answer = await this.run('query', () => answerAcross(this.db, this.engine, p.userId, input, signal));
    await spendCredit(this.db, p.userId, p.limits.aiGenerationsPerMonth, this.clock());
    return answer;
  }

  async email(
    p: Principal,
    id: string,
    opts: { recipientName?: string; tone: 'professional' | 'casual' | 'concise'; signal?: AbortSignal },
  ): Promise<EmailDraft & { id: string; generatedAt: string }> {
    await assertCreditAvailable(this.db, p.userId, p.limits.aiGenerationsPerMonth, this.clock());
    const conv = await this.loadConversation(p.userId, id);
    const { signal, ...emailOpts } = opts;
    const result = await this.run('email', () => this.engine.email(conv, emailOpts, { userId: p.userId, signal }));
    await spendCredit(this.db, p.userId, p.limits.aiGenerationsPerMonth, this.clock());
    return { id, ...result, generatedAt: this.clock().toISOString() };
  }

  private async generateCached<T>(
    p: Principal,
    id: string,
    kind: CachedKind,
    forceRefresh: boolean | undefined,
    cacheFits: ((cached: T, conv: LoadedConversation) => boolean) | null,
    generate: (c: EngineConversation) => Promise<T>,
    events: (c: { id: string; title: string }, r: T) => OutboxEvent[],
    beforeStore?: (trx: Transaction<DB>, r: T) => Promise<void> | undefined,
  ): Promise<Cached<T> & { title: string }> {
    const row = await this.conversations.require(p.userId, id);
    // Segments are read only when needed: a plain cache hit needs none.
    let loaded: Promise<LoadedConversation> | undefined;
    const load = () => (loaded ??= this.withSegments(row));
    if (!forceRefresh) {
      const hit = await convRepo.findAnalysis(this.db, id, kind);
      // A stale result (its speakers were renamed since) is regenerated, as if it were not cached.
      if (hit && !hit.stale && (!cacheFits || cacheFits(hit.result as T, await load()))) {
        return { result: hit.result as T, createdAt: new Date(hit.created_at), cached: true, title: row.title };
      }
    }
    await assertCreditAvailable(this.db, p.userId, p.limits.aiGenerationsPerMonth, this.clock());
    const conv = await load();
    const result = await this.run(kind, () => generate(conv));
    const createdAt = await this.db.transaction().execute(async (trx: Transaction<DB>) => {
      await spendCredit(trx, p.userId, p.limits.aiGenerationsPerMonth, this.clock());
      await beforeStore?.(trx, result);
      const at = await storeAnalysis(trx, id, kind, result, this.engine.name);
      await this.conversations.emit(trx, p.userId, events({ id, title: conv.title }, result));
      return at;
    });
    return { result, createdAt, cached: false, title: conv.title };
  }

  private async run<T>(kind: string, fn: () => Promise<T>): Promise<T> {
    try {
      const r = await fn();
      this.metrics.analyses.inc({ kind, engine: this.engine.name, outcome: 'ok' });
      return r;
    } catch (err) {
      this.metrics.analyses.inc({ kind, engine: this.engine.name, outcome: err instanceof AppError ? err.code : 'error' });
      if (err instanceof AppError) throw err;
      throw new AppError('ai_provider_error', 'The analysis engine failed', { cause: err });
    }
  }
}
