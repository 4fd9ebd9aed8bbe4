import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import * as repo from '../../db/repos/conversations.js';
import { AppError, notFound } from '../errors.js';
import type { ConversationsService } from './service.js';

// Renaming speaker labels ("Speaker 1" → "Alice Chen") in every segment of one conversation, all
// renames at once (so two labels can be swapped), in one transaction. Renaming a label to another
// label of the transcript merges the two. Cached analyses name the old speakers: they are marked
// stale, and the next POST regenerates them.

export interface SpeakerCount {
  name: string;
  segmentCount: number;
}

export async function speakersOf(db: Kysely<DB>, conversationId: string): Promise<SpeakerCount[]> {
  const rows = await db
    .selectFrom('segments')
    .select(['speaker', sql<number>`count(*)::int`.as('n'), sql<number>`min(idx)`.as('first')])
    .where('conversation_id', '=', conversationId)
    .groupBy('speaker')
    .orderBy('first')
    .execute();
  return rows.map((r) => ({ name: r.speaker, segmentCount: Number(r.n) }));
}

export async function renameSpeakers(db: Kysely<DB>, conversations: ConversationsService, userId: string, id: string, rename: Record<string, string>) {
  return db.transaction().execute(async (trx) => {
    const conv = await repo.findConversation(trx, userId, id, { forUpdate: true });
    if (!conv) throw notFound();
    if (!Object.keys(rename).length) throw new AppError('validation_error', 'Name at least one speaker to rename', { details: { rename: 'Name at least one speaker' } });
    const before = await speakersOf(trx, id);
    const known = new Set(before.map((s) => s.name));
    const details: Record<string, string> = {};
    for (const from of Object.keys(rename)) if (!known.has(from)) details[`rename.${from}`] = 'No segment has this speaker';
    if (Object.keys(details).length) {
      throw new AppError('validation_error', `No such speaker in this conversation: ${Object.keys(details).map((k) => k.slice(7)).join(', ')}`, { details });
    }
    const changes = Object.entries(rename).filter(([from, to]) => from !== to);
    if (changes.length) {
      const cases = sql.join(changes.map(([from, to]) => sql`when ${from} then ${to}`), sql` `);
      await trx
        .updateTable('segments')
        .set({ speaker: sql`case speaker ${cases} else speaker end` })
        .where('conversation_id', '=', id)
        .where('speaker', 'in', changes.map(([from]) => from))
        .execute();
      await trx.updateTable('analyses').set({ stale: true }).where('conversation_id', '=', id).execute();
      const row = await repo.updateConversation(trx, id, {});
      await conversations.emit(trx, userId, [{ event: 'conversation.updated', data: { conversationId: id, title: row.title, changedFields: ['speakers'] } }]);
    }
    return { id, speakers: await speakersOf(trx, id) };
  });
}
