import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import * as repo from '../../db/repos/action-items.js';
import type { ConversationsService } from '../conversations/service.js';
import type { Segment } from '../segment.js';
import type { OutboxEvent } from '../webhooks/outbox.js';
import { findMentions, MENTION_CANDIDATES } from './mentions.js';
import type { Mention } from './present.js';
import { distinctiveWords } from './words.js';

/** Of a conversation's own open items, this many are looked for in later conversations … */
const OWN_ITEMS = 50;
/** … each in at most this many of them (the soonest after it) … */
const LATER_PER_ITEM = 5;
/** … whose transcripts are read at most this many in all. */
const LATER_CONVERSATIONS = 50;
/** Words of an item put to the search index (pairs of them: 15 at most). */
const QUERY_WORDS = 6;

export interface LinkDeps {
  db: Kysely<DB>;
  conversations: ConversationsService;
  clock: () => Date;
  event: (row: repo.ActionItemRow, changedFields: string[]) => OutboxEvent;
}

const sameMentions = (a: Mention[], b: Mention[]) =>
  a.length === b.length &&
  a.every((m, i) => m.conversationId === b[i].conversationId && m.segmentIndex === b[i].segmentIndex && m.quote === b[i].quote && m.suggestsDone === b[i].suggestsDone);

/**
 * Links mentions both ways once a conversation's key points are stored: its segments that name the
 * user's open items of earlier conversations, and later conversations' segments that name its own
 * open items (key points are not always generated in meeting order). Where a mention's sentence says
 * the work is finished, `done` is suggested, never set. Bounded at every step (see the constants).
 * Returns how many items changed.
 */
export async function linkMentions(d: LinkDeps, userId: string, conversationId: string): Promise<number> {
  const conv = await d.db
    .selectFrom('conversations')
    .select(['start_time', 'created_at'])
    .where('id', '=', conversationId)
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!conv) return 0;
  const at = new Date(conv.start_time ?? conv.created_at);
  const found = new Map<string, Mention[]>();
  const add = (m: Map<string, Mention[]>) => {
    for (const [id, ms] of m) found.set(id, [...(found.get(id) ?? []), ...ms]);
  };

  // Earlier items named here.
  const earlier = await repo.openItemsBefore(d.db, userId, conversationId, at, MENTION_CANDIDATES);
  if (earlier.length) add(findMentions(earlier, conversationId, await d.conversations.segments(conversationId)));

  // This conversation's items named later.
  const mine = (await repo.itemsOfConversation(d.db, conversationId)).filter((i) => i.status === 'open').slice(0, OWN_ITEMS);
  const read = new Map<string, Segment[]>();
  for (const item of mine) {
    const words = [...distinctiveWords(item.item)].filter((w) => /^[a-z0-9]+$/.test(w)).slice(0, QUERY_WORDS);
    if (words.length < 2) continue;
    for (const later of await repo.laterConversationsSaying(d.db, userId, conversationId, at, words, LATER_PER_ITEM)) {
      let segments = read.get(later);
      if (!segments) {
        if (read.size >= LATER_CONVERSATIONS) continue;
        read.set(later, (segments = await d.conversations.segments(later)));
      }
      add(findMentions([item], later, segments));
    }
  }
  if (!found.size) return 0;

  let linked = 0;
  await d.db.transaction().execute(async (trx) => {
    const events: OutboxEvent[] = [];
    for (const [id, mentions] of found) {
      const row = await repo.findActionItem(trx, userId, id, true);
      if (!row || row.status !== 'open') continue;
      // The mentions found now replace those kept for the same conversations.
      const convs = new Set(mentions.map((m) => m.conversationId));
      const next: Mention[] = [...row.mentions.filter((m) => !convs.has(m.conversationId)), ...mentions];
      // Only a new mention suggests: a suggestion a person turned down (status set) is not made again
      // because the same meeting's key points were regenerated.
      const known = new Set(row.mentions.map((m) => `${m.conversationId}#${m.segmentIndex}`));
      const fresh = mentions.some((m) => m.suggestsDone && !known.has(`${m.conversationId}#${m.segmentIndex}`));
      const suggested = row.suggested_status ?? (fresh ? 'done' : null);
      const changed: string[] = [];
      // Compared field by field: jsonb does not keep the keys' order.
      if (!sameMentions(next, row.mentions)) changed.push('mentions');
      if (suggested !== row.suggested_status) changed.push('suggestedStatus');
      if (!changed.length) continue;
      await trx.updateTable('action_items').set({ mentions: JSON.stringify(next), suggested_status: suggested, updated_at: d.clock() }).where('id', '=', id).execute();
      events.push(d.event({ ...row, mentions: next, suggested_status: suggested }, changed));
      linked++;
    }
    await d.conversations.emit(trx, userId, events);
  });
  return linked;
}
