import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import * as repo from '../../db/repos/action-items.js';
import type { Keypoints } from '../../engines/schemas.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { ConversationsService } from '../conversations/service.js';
import { cursorParts, encodeCursor, invalidCursor, REUSE_AS_GIVEN } from '../cursor.js';
import { notFound } from '../errors.js';
import { calendarDay } from '../iso.js';
import type { IdGenerator } from '../ids.js';
import type { OutboxEvent } from '../webhooks/outbox.js';
import { matchItems } from './match.js';
import { linkMentions } from './linking.js';
import { presentActionItem, type ActionItemView, type EditableField } from './present.js';

export interface ListInput {
  userId: string;
  status: repo.ActionItemStatus;
  owner?: string;
  dueBefore?: string;
  conversationId?: string;
  limit: number;
  cursor?: string;
}

export interface ActionItemPatch {
  status?: repo.ActionItemStatus;
  owner?: string | null;
  dueDate?: string | null;
}

export function updatedEvent(r: repo.ActionItemRow, changedFields: string[]): OutboxEvent {
  return {
    event: 'action_item.updated',
    data: {
      actionItemId: r.id,
      conversationId: r.conversation_id,
      item: r.item,
      status: r.status,
      owner: r.owner,
      dueDate: r.due_date,
      suggestedStatus: r.suggested_status,
      mentions: r.mentions.map(({ conversationId, segmentIndex }) => ({ conversationId, segmentIndex })),
      changedFields,
    },
  };
}

/**
 * Action items tracked across conversations. They are kept in step with each conversation's stored
 * key points (same transaction), keep their ids across regenerations, keep what a person set, and
 * are linked to later conversations that mention them (a background job).
 */
export class ActionItemsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly conversations: ConversationsService,
    private readonly jobs: JobQueue,
    private readonly newId: IdGenerator,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Inside the transaction that stores `kp` for a conversation: gives each action item of `kp` its
   * stable `id` (matched to the stored items by wording and evidence), refreshes the engine's fields
   * without overriding what a person edited, drops unmatched items nobody touched, and enqueues the
   * search for mentions of earlier open items.
   */
  async syncKeypoints(trx: Transaction<DB>, userId: string, conversationId: string, kp: Keypoints): Promise<void> {
    // Two regenerations of one conversation at once take turns here, so the second matches the
    // first's items instead of adding its own copies.
    await trx.selectFrom('conversations').select('id').where('id', '=', conversationId).forUpdate().execute();
    const stored = await repo.itemsOfConversation(trx, conversationId);
    const pairs = matchItems(kp.actionItems, stored);
    const now = this.clock();
    const kept = new Set<string>();
    const inserts = [];
    for (const [i, ai] of kp.actionItems.entries()) {
      const s = pairs[i] >= 0 ? stored[pairs[i]] : undefined;
      const fields = { item: ai.item, priority: ai.priority, confidence: ai.confidence, evidence: JSON.stringify(ai.evidence) };
      if (s) {
        kept.add(s.id);
        // The stored key points say what the tracked item says: a person's owner and due date, its status.
        const tracked = ai as { id?: string; status?: repo.ActionItemStatus };
        tracked.id = s.id;
        tracked.status = s.status;
        if (s.edited.includes('owner')) ai.owner = s.owner;
        if (s.edited.includes('dueDate')) ai.dueDate = s.due_date;
        await trx
          .updateTable('action_items')
          .set({
            ...fields,
            ...(s.edited.includes('owner') ? {} : { owner: ai.owner }),
            ...(s.edited.includes('dueDate') ? {} : { due_date: calendarDay(ai.dueDate) }),
            updated_at: now,
          })
          .where('id', '=', s.id)
          .execute();
      } else {
        const id = this.newId('act');
        Object.assign(ai, { id, status: 'open' });
        inserts.push({ id, user_id: userId, conversation_id: conversationId, ...fields, owner: ai.owner, due_date: calendarDay(ai.dueDate), created_at: now, updated_at: now });
      }
    }
    const gone = stored.filter((s) => !kept.has(s.id) && s.edited.length === 0).map((s) => s.id);
    if (gone.length) await trx.deleteFrom('action_items').where('id', 'in', gone).execute();
    if (inserts.length) await trx.insertInto('action_items').values(inserts).execute();
    await this.jobs.enqueue(trx, 'action_items.mentions', { userId, conversationId });
  }

  async list(input: ListInput): Promise<{ data: ActionItemView[]; nextCursor: string | null }> {
    const fingerprint = this.fingerprint(input);
    const after = input.cursor ? this.decodeCursor(input.cursor, fingerprint) : undefined;
    const rows = await repo.listActionItems(this.db, { ...input, after });
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    const nextCursor = rows.length > input.limit && last ? encodeCursor([last.due_date ?? 'infinity', last.seq, fingerprint]) : null;
    return { data: page.map(presentActionItem), nextCursor };
  }

  async get(userId: string, id: string): Promise<ActionItemView> {
    const row = await repo.findActionItem(this.db, userId, id);
    if (!row) throw notFound('Action item');
    return presentActionItem(row);
  }

  /**
   * A person's change: the fields given are marked edited (regenerations keep them); setting a status
   * settles any suggestion. Fires `action_item.updated` with the fields that changed, in the same
   * transaction.
   */
  async update(userId: string, id: string, patch: ActionItemPatch): Promise<ActionItemView> {
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.findActionItem(trx, userId, id, true);
      if (!row) throw notFound('Action item');
      const set: { status?: repo.ActionItemStatus; suggested_status?: null; owner?: string | null; due_date?: string | null } = {};
      const changed: string[] = [];
      if (patch.status !== undefined && patch.status !== row.status) {
        set.status = patch.status;
        changed.push('status');
      }
      // Setting a status, even the same one, settles a suggestion (accepted or turned down).
      if (patch.status !== undefined && row.suggested_status !== null) {
        set.suggested_status = null;
        changed.push('suggestedStatus');
      }
      if (patch.owner !== undefined && patch.owner !== row.owner) {
        set.owner = patch.owner;
        changed.push('owner');
      }
      if (patch.dueDate !== undefined && patch.dueDate !== row.due_date) {
        set.due_date = patch.dueDate;
        changed.push('dueDate');
      }
      const given = (['status', 'owner', 'dueDate'] as EditableField[]).filter((f) => patch[f] !== undefined);
      const edited = [...new Set([...row.edited, ...given])];
      if (!changed.length && edited.length === row.edited.length) return presentActionItem(row);
      await trx
        .updateTable('action_items')
        .set({ ...set, edited: JSON.stringify(edited), updated_at: this.clock() })
        .where('id', '=', id)
        .execute();
      const after = (await repo.findActionItem(trx, userId, id))!;
      // The conversation's stored key points show the change too (GET keypoints, emails, shares, questions).
      await repo.patchStoredItem(trx, after.conversation_id, id, { owner: after.owner, dueDate: after.due_date, status: after.status });
      if (changed.length) await this.conversations.emit(trx, userId, [updatedEvent(after, changed)]);
      return presentActionItem(after);
    });
  }

  /** The background half of storing key points: mentions both ways (see linking.ts). */
  async linkMentions(userId: string, conversationId: string): Promise<number> {
    return linkMentions({ db: this.db, conversations: this.conversations, clock: this.clock, event: updatedEvent }, userId, conversationId);
  }

  /** What a cursor belongs to: the same filters (not the page size). */
  private fingerprint(i: ListInput): string {
    const key = JSON.stringify([i.status, i.owner?.toLowerCase() ?? null, i.dueBefore ?? null, i.conversationId ?? null]);
    return createHash('sha256').update(key).digest('base64url').slice(0, 16);
  }

  private decodeCursor(cursor: string, fingerprint: string): { due: string; seq: string } {
    const parts = cursorParts(cursor);
    if (parts.length !== 3 || !parts.every((p) => typeof p === 'string')) throw invalidCursor(REUSE_AS_GIVEN);
    const [due, seq, fp] = parts as string[];
    if (fp !== fingerprint) throw invalidCursor('it belongs to another list; ask with the same filters');
    if (!(due === 'infinity' || calendarDay(due)) || !/^\d{1,18}$/.test(seq)) throw invalidCursor(REUSE_AS_GIVEN);
    return { due, seq };
  }
}

