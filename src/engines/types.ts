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

export interface AnalysisEngine {
  readonly name: string;
  keypoints(c: EngineConversation): Promise<Keypoints>;
  /** Throws AppError('validation_error') for fewer than 10 segments. */
  feedback(c: EngineConversation, opts: { userSpeakerName?: string }): Promise<Feedback & { userSpeakerName: string }>;
  query(c: EngineConversation, query: string): Promise<QueryResult>;
  email(c: EngineConversation, opts: { recipientName?: string; tone: 'professional' | 'casual' | 'concise' }): Promise<EmailDraft>;
  insights(c: EngineConversation): Promise<Insights>;
  close?(): Promise<void>;
}

export const MIN_FEEDBACK_SEGMENTS = 10;
