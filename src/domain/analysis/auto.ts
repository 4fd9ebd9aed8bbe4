import { sql, type Kysely, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { ConversationRow, DB } from '../../db/schema.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { AccountsService } from '../accounts/service.js';
import type { AnalysisService, AutoOutcome } from './service.js';

/**
 * "Analyse new conversations automatically": when a conversation gets its whole transcript (created
 * completed with content, an import finished, or completed by an append), its owner's setting
 * decides whether a `keypoints.auto` job is enqueued in that same transaction. The job spends one
 * credit as POST /keypoints would, and records what it did in `auto_analyses`.
 */
export class AutoAnalysis {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly accounts: AccountsService,
    private readonly jobs: JobQueue,
    private readonly analysis: AnalysisService,
    private readonly log?: Pick<Logger, 'info' | 'warn'>,
  ) {}

  /** The conversations service's onTranscriptReady hook. */
  async onTranscriptReady(trx: Transaction<DB>, conv: ConversationRow): Promise<void> {
    if (conv.status !== 'completed' || conv.segment_count === 0 || conv.deleted_at !== null) return;
    const user = await trx.selectFrom('users').select(['tier', 'auto_analyse']).where('id', '=', conv.user_id).executeTakeFirst();
    if (!user || !this.accounts.autoAnalyse(user)) return;
    await this.jobs.enqueue(trx, 'keypoints.auto', { conversationId: conv.id, userId: conv.user_id });
  }

  /** Runs one `keypoints.auto` job. */
  async run(job: { conversationId: string; userId: string }): Promise<AutoOutcome> {
    const user = await this.accounts.findUserById(job.userId);
    if (!user) return { outcome: 'skipped', reason: 'deleted' };
    let result: AutoOutcome;
    try {
      result = await this.analysis.keypointsAutomatically(job.userId, this.accounts.limitsFor(user.tier), job.conversationId);
    } catch (err) {
      await this.record(job, 'failed', err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : 'error');
      throw err; // retried by the queue
    }
    if (result.outcome === 'generated') await this.record(job, 'generated', null);
    else {
      await this.record(job, 'skipped', result.reason);
      this.log?.info({ conversationId: job.conversationId, userId: job.userId, reason: result.reason }, 'automatic key points skipped');
    }
    return result;
  }

  /** What the job did last; a conversation whose key points were generated keeps that record. */
  private async record(job: { conversationId: string; userId: string }, outcome: 'generated' | 'skipped' | 'failed', reason: string | null) {
    await sql`
      insert into auto_analyses (conversation_id, user_id, outcome, reason)
      select id, user_id, ${outcome}, ${reason} from conversations where id = ${job.conversationId} and user_id = ${job.userId}
      on conflict (conversation_id) do update set outcome = excluded.outcome, reason = excluded.reason, updated_at = now()
      where auto_analyses.outcome <> 'generated'`.execute(this.db);
  }
}
