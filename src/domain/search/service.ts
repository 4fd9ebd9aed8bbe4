import { createHash } from 'node:crypto';
import type { ConversationsService } from '../conversations/service.js';
import { searchConversations, searchSegments, similarWords, type SearchFilters, type SearchHitRow } from '../../db/repos/search.js';
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
/** Spelling corrections come from the words of this many of the user's latest conversations (and at most this many segments). */
export const CORRECTION_CONVERSATIONS = 100;
const CORRECTION_SEGMENTS = 20_000;
/** pg_trgm similarity a said word needs to stand in for a query word ("Kowalcyk" → "kowalczyk" is 0.5). */
const CORRECTION_SIMILARITY = 0.4;

/** The query's plain words that could be misspelled: not excluded, not `or`, four letters or more. */
export function correctableWords(q: string): string[] {
  const words = q
    .replace(/(^|\s)-("[^"]*"?|\S+)/g, ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 4 && w.length <= 40 && !/^\d+$/.test(w) && w !== 'or');
  return [...new Set(words)];
}

/** The query with each misspelled word replaced by its `k`-th correction (the best one when it has fewer). */
function corrected(q: string, corrections: Map<string, string[]>, k: number): string {
  return q.replace(/[\p{L}\p{N}]+/gu, (w) => {
    const alts = corrections.get(w.toLowerCase());
    return alts?.length ? alts[Math.min(k, alts.length - 1)] : w;
  });
}

const score = (x: number) => Math.round(x * 1e4) / 1e4;

function segmentHit(r: SearchHitRow): SegmentHit {
  return { segmentIndex: r.idx, speaker: r.speaker, timestamp: isoOrNull(r.ts), snippet: markedSnippet(r.snippet), score: score(Number(r.score)) };
}

/** Search across a user's conversations: matching segments with highlighted snippets, most relevant first. */
export class SearchService {
  constructor(private readonly conversations: ConversationsService) {}

  /**
   * A search, and when it finds nothing, the same search with its misspelled words (names, typos)
   * replaced by the closest words said in the user's latest conversations: `didYouMean` then says
   * which wording found the results.
   */
  async search(input: SearchInput): Promise<{ data: SearchHit[] | ConversationHit[]; nextCursor: string | null; didYouMean: string | null }> {
    // A page of a corrected search (its cursor says so) is corrected again, the same way.
    const correctedPage = input.cursor ? this.decodeCursor(input.cursor, this.fingerprint(input)).corrected : false;
    const found = correctedPage ? { data: [], nextCursor: null } : await this.searchAs(input, input.q, false);
    if (found.data.length > 0 || (input.cursor && !correctedPage)) return { ...found, didYouMean: null };
    const words = correctableWords(input.q);
    if (!words.length) return { ...found, didYouMean: null };
    const corrections = await this.conversations.searched(
      input.userId,
      (db) => similarWords(db, { userId: input.userId, words, conversations: CORRECTION_CONVERSATIONS, segments: CORRECTION_SEGMENTS, minSimilarity: CORRECTION_SIMILARITY }),
      input.signal,
    );
    if (!corrections.size) return { ...found, didYouMean: null };
    const wordings = [...new Set([0, 1].map((k) => corrected(input.q, corrections, k)))];
    const again = await this.searchAs(input, wordings, true);
    return again.data.length ? { ...again, didYouMean: wordings[0] } : { ...found, didYouMean: null };
  }

  private async searchAs(input: SearchInput, term: string | string[], correctedTerm: boolean): Promise<{ data: SearchHit[] | ConversationHit[]; nextCursor: string | null }> {
    const fingerprint = this.fingerprint(input);
    const offset = input.cursor ? this.decodeCursor(input.cursor, fingerprint).offset : 0;
    const f: SearchFilters = {
      userId: input.userId,
      term,
      since: input.since,
      until: input.until,
      kind: input.kind,
      promptId: input.promptId,
      speaker: input.speaker,
      limit: input.limit,
      offset,
      candidates: SEARCH_CANDIDATES,
    };
    const next = (more: boolean) => (more ? encodeCursor(correctedTerm ? [offset + input.limit, fingerprint, 1] : [offset + input.limit, fingerprint]) : null);
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

  /** A cursor's offset, and whether it pages through the corrected wording of the search. */
  private decodeCursor(cursor: string, fingerprint: string): { offset: number; corrected: boolean } {
    const parts = cursorParts(cursor);
    if (parts.length < 2 || parts.length > 3 || !Number.isSafeInteger(parts[0]) || (parts[0] as number) < 0 || typeof parts[1] !== 'string') throw invalidCursor(REUSE_AS_GIVEN);
    if (parts.length === 3 && parts[2] !== 1) throw invalidCursor(REUSE_AS_GIVEN);
    if (parts[1] !== fingerprint) throw invalidCursor('it belongs to another search; ask with the same q and filters');
    return { offset: parts[0] as number, corrected: parts.length === 3 };
  }
}
