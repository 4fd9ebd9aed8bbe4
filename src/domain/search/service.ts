import { createHash } from 'node:crypto';
import type { ConversationsService } from '../conversations/service.js';
import { searchConversations, searchSegments, type SearchFilters, type SearchHitRow } from '../../db/repos/search.js';
import { cursorParts, encodeCursor, invalidCursor, REUSE_AS_GIVEN } from '../cursor.js';
import { isoOrNull } from '../iso.js';
import { markedSnippet } from './snippet.js';

export interface SearchInput {
  userId: string;
  q: string;
  since?: Date;
  until?: Date;
  kind?: 'meeting' | 'chat';
  speaker?: string;
  promptId?: string;
  groupBy: 'none' | 'conversation';
  limit: number;
  cursor?: string;
  /** Aborts when the client has gone: the search stops. */
  signal?: AbortSignal;
}

export interface SegmentHit {
  segmentIndex: number;
  speaker: string;
  timestamp: string | null;
  /** HTML-escaped, matched words in <mark>…</mark>. */
  snippet: string;
  score: number;
}

export interface SearchHit extends SegmentHit {
  conversationId: string;
  title: string;
  kind: 'meeting' | 'chat';
  startTime: string | null;
}

export interface ConversationHit {
  conversationId: string;
  title: string;
  kind: 'meeting' | 'chat';
  startTime: string | null;
  score: number;
  matchCount: number;
  matches: SegmentHit[];
}

/**
 * Relevance is ranked among the user's most recent matching conversations, this many of them: a
 * word said in every meeting then costs what a rare one costs. `since`/`until` reach further back.
 */
export const SEARCH_CANDIDATES = 200;
const MATCHES_PER_CONVERSATION = 3;

const score = (x: number) => Math.round(x * 1e4) / 1e4;

function segmentHit(r: SearchHitRow): SegmentHit {
  return { segmentIndex: r.idx, speaker: r.speaker, timestamp: isoOrNull(r.ts), snippet: markedSnippet(r.snippet), score: score(Number(r.score)) };
}

/** Search across a user's conversations: matching segments with highlighted snippets, most relevant first. */
export class SearchService {
  constructor(private readonly conversations: ConversationsService) {}

  async search(input: SearchInput): Promise<{ data: SearchHit[] | ConversationHit[]; nextCursor: string | null }> {
    const fingerprint = this.fingerprint(input);
    const offset = input.cursor ? this.decodeCursor(input.cursor, fingerprint) : 0;
    const f: SearchFilters = {
      userId: input.userId,
      term: input.q,
      since: input.since,
      until: input.until,
      kind: input.kind,
      promptId: input.promptId,
      speaker: input.speaker,
      limit: input.limit,
      offset,
      candidates: SEARCH_CANDIDATES,
    };
    const next = (more: boolean) => (more ? encodeCursor([offset + input.limit, fingerprint]) : null);
    if (input.groupBy === 'conversation') {
      const rows = await this.conversations.searched(input.userId, (db) => searchConversations(db, f, MATCHES_PER_CONVERSATION), input.signal);
      const groups: ConversationHit[] = [];
      for (const r of rows) {
        if (r.rank === 1)
          groups.push({ conversationId: r.conversation_id, title: r.title, kind: r.kind, startTime: isoOrNull(r.start_time), score: score(Number(r.score)), matchCount: r.match_count!, matches: [] });
        groups.at(-1)!.matches.push(segmentHit(r));
      }
      const more = groups.length > input.limit;
      return { data: groups.slice(0, input.limit), nextCursor: next(more) };
    }
    const rows = await this.conversations.searched(input.userId, (db) => searchSegments(db, f), input.signal);
    const more = rows.length > input.limit;
    const data = rows.slice(0, input.limit).map((r) => ({
      conversationId: r.conversation_id,
      title: r.title,
      kind: r.kind,
      startTime: isoOrNull(r.start_time),
      ...segmentHit(r),
    }));
    return { data, nextCursor: next(more) };
  }

  /** What a cursor belongs to: the same question and filters (not the page size). */
  private fingerprint(i: SearchInput): string {
    const key = JSON.stringify([i.q, i.since?.toISOString() ?? null, i.until?.toISOString() ?? null, i.kind ?? null, i.speaker ?? null, i.promptId ?? null, i.groupBy]);
    return createHash('sha256').update(key).digest('base64url').slice(0, 16);
  }

  private decodeCursor(cursor: string, fingerprint: string): number {
    const parts = cursorParts(cursor);
    if (parts.length !== 2 || !Number.isSafeInteger(parts[0]) || (parts[0] as number) < 0 || typeof parts[1] !== 'string') throw invalidCursor(REUSE_AS_GIVEN);
    if (parts[1] !== fingerprint) throw invalidCursor('it belongs to another search; ask with the same q and filters');
    return parts[0] as number;
  }
}
