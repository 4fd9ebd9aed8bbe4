// The one seam between the API and whatever produces analyses (local NLP or an LLM).
import type { Segment } from '../domain/segment.js';
import type { EmailDraft, Feedback, Insights, Keypoints, QueryResult } from './schemas.js';

export type { Segment };

export interface EngineConversation {
  id: string;
  title: string | null;
  kind: 'meeting' | 'chat';
  /** ISO 8601; the reference time for relative dates ("next Friday"). */
  startTime: string | null;
  /** IANA zone the start is read in for relative dates ("tomorrow"); null or absent: UTC. */
  timeZone?: string | null;
  segments: Segment[];
}

/** Who asked, and whether they are still waiting; engines that share capacity use it to be fair. */
export interface EngineCallContext {
  /** The requesting user: the local engine's threads take users in turn. */
  userId?: string;
  /** Aborts when the client has gone away: queued work is dropped, running work gets a budget. */
  signal?: AbortSignal;
}

export interface AnalysisEngine {
  readonly name: string;
  keypoints(c: EngineConversation, ctx?: EngineCallContext): Promise<Keypoints>;
  /** Throws AppError('validation_error') for fewer than 10 segments. */
  feedback(c: EngineConversation, opts: { userSpeakerName?: string }, ctx?: EngineCallContext): Promise<Feedback & { userSpeakerName: string }>;
  query(c: EngineConversation, query: string, ctx?: EngineCallContext): Promise<QueryResult>;
  email(c: EngineConversation, opts: { recipientName?: string; tone: 'professional' | 'casual' | 'concise' }, ctx?: EngineCallContext): Promise<EmailDraft>;
  insights(c: EngineConversation, ctx?: EngineCallContext): Promise<Insights>;
  close?(): Promise<void>;
}

export const MIN_FEEDBACK_SEGMENTS = 10;
