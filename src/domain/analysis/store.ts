import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

export type CachedKind = 'keypoints' | 'feedback' | 'insights';

/** Replaces the cached analysis of one kind; insights also flip the conversation's hasInsights. */
export async function storeAnalysis(trx: Transaction<DB>, conversationId: string, kind: CachedKind, result: unknown, engine: string): Promise<Date> {
  const row = await trx
    .insertInto('analyses')
    .values({ conversation_id: conversationId, kind, result: JSON.stringify(result), engine })
    .onConflict((oc) =>
      oc.columns(['conversation_id', 'kind']).doUpdateSet({ result: JSON.stringify(result), engine, created_at: sql`now()` as any, stale: false }),
    )
    .returning('created_at')
    .executeTakeFirstOrThrow();
  if (kind === 'insights') {
    await trx.updateTable('conversations').set({ has_insights: true }).where('id', '=', conversationId).execute();
  }
  return new Date(row.created_at);
}
