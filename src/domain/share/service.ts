import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import * as repo from '../../db/repos/conversations.js';
import type { ConversationsService } from '../conversations/service.js';
import { durationMinutes } from '../conversations/present.js';
import { notFound } from '../errors.js';
import { randomBase62 } from '../ids.js';

/** 32 base62 characters: about 190 random bits, far past guessing range. */
export const SHARE_TOKEN_LENGTH = 32;
const TOKEN_SHAPE = /^[0-9A-Za-z]{16,64}$/;

/** Transcript segments per share page: a 20,000-segment transcript is 40 pages, not one 6 MB page. */
export const SHARE_PAGE_SEGMENTS = 500;

export function shareUrlFor(base: string, token: string): string {
  return `${base}/shared/${token}`;
}

/** What the public page may show, and nothing more: no ids, metadata or account details. */
export interface SharedConversation {
  title: string;
  startTime: Date | null;
  durationMinutes: number | null;
  keypoints: SharedKeypoints | null;
  /** This page's segments only. */
  segments: { speaker: string; timestamp: Date | null; text: string }[];
  /** 1-based; `pages` is at least 1, even for an empty transcript. */
  page: number;
  pages: number;
  /** Position of this page's first segment in the whole transcript. */
  firstIndex: number;
  totalSegments: number;
}

export interface SharedKeypoints {
  sections: { heading: string; points: string[] }[];
  decisions: string[];
  actionItems: { item: string; owner: string | null }[];
}

// Stored analyses come from whichever engine produced them; only these fields are read, and a
// result that does not have them is left off the page rather than breaking it.
const storedKeypoints = z.object({
  sections: z.array(z.object({ heading: z.string(), points: z.array(z.string()) })).default([]),
  decisions: z.array(z.string()).default([]),
  actionItems: z.array(z.object({ item: z.string(), owner: z.string().nullable().optional() })).default([]),
});

export class ShareService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly conversations: ConversationsService,
    private readonly shareBase: string,
    private readonly newToken: () => string = () => randomBase62(SHARE_TOKEN_LENGTH),
  ) {}

  /** Shares a conversation; an already shared one keeps its link. */
  async share(userId: string, id: string): Promise<{ id: string; shareUrl: string }> {
    return this.db.transaction().execute(async (trx) => {
      // The row lock makes concurrent share calls agree on one token and emit one event.
      const conv = await repo.findConversation(trx, userId, id, { forUpdate: true });
      if (!conv) throw notFound();
      if (conv.share_token) return { id, shareUrl: shareUrlFor(this.shareBase, conv.share_token) };
      const token = this.newToken();
      await repo.updateConversation(trx, id, { share_token: token });
      const shareUrl = shareUrlFor(this.shareBase, token);
      await this.conversations.emit(trx, userId, [{ event: 'conversation.shared', data: { conversationId: id, shareUrl } }]);
      return { id, shareUrl };
    });
  }

  /** Revokes the link; the next share issues a new token, so the old URL stays dead. */
  async revoke(userId: string, id: string): Promise<{ id: string; shared: false }> {
    return this.db.transaction().execute(async (trx) => {
      const conv = await repo.findConversation(trx, userId, id, { forUpdate: true });
      if (!conv) throw notFound();
      if (conv.share_token) await repo.updateConversation(trx, id, { share_token: null });
      return { id, shared: false as const };
    });
  }

  /**
   * One page of the shared conversation behind a token, or null for an unknown, revoked or
   * deleted one, or a page past the end.
   */
  async findShared(token: string, page = 1): Promise<SharedConversation | null> {
    // Malformed tokens never reach the database; well-formed ones are an indexed equality lookup,
    // whose timing says nothing useful about other tokens.
    if (!TOKEN_SHAPE.test(token)) return null;
    const conv = await this.db
      .selectFrom('conversations')
      .select(['id', 'title', 'start_time', 'end_time', 'segment_count'])
      .where('share_token', '=', token)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!conv) return null;
    const pages = Math.max(1, Math.ceil(conv.segment_count / SHARE_PAGE_SEGMENTS));
    if (page > pages) return null;
    const from = (page - 1) * SHARE_PAGE_SEGMENTS;
    const [segments, analysis, firstTime] = await Promise.all([
      repo.listSegmentsRange(this.db, conv.id, from, from + SHARE_PAGE_SEGMENTS),
      repo.findAnalysis(this.db, conv.id, 'keypoints'),
      // Offsets on every page count from the conversation's start, not the page's.
      conv.start_time ? Promise.resolve(null) : repo.firstSegmentTime(this.db, conv.id),
    ]);
    const start = conv.start_time ? new Date(conv.start_time) : firstTime;
    return {
      title: conv.title,
      startTime: start,
      durationMinutes: durationMinutes(conv.start_time, conv.end_time),
      keypoints: readKeypoints(analysis?.result),
      segments: segments.map((s) => ({ speaker: s.speaker, timestamp: s.ts ? new Date(s.ts) : null, text: s.text })),
      page,
      pages,
      firstIndex: from,
      totalSegments: conv.segment_count,
    };
  }
}

function readKeypoints(result: unknown): SharedKeypoints | null {
  if (!result) return null;
  const parsed = storedKeypoints.safeParse(result);
  if (!parsed.success) return null;
  const { sections, decisions, actionItems } = parsed.data;
  return { sections, decisions, actionItems: actionItems.map((a) => ({ item: a.item, owner: a.owner ?? null })) };
}
