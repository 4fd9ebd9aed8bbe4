// Shapes of the public API (Convo API v1 plus Colloquy's additive fields). The dashboard
// only reads these; unknown extra keys are tolerated everywhere.

export interface Pagination {
  total: number;
  limit: number;
  offset: number;
}

export interface Envelope<T> {
  data: T;
  pagination?: Pagination;
}

// ---------------------------------------------------------------- user

export interface Profile {
  profile: {
    name: string;
    email: string;
    timezone?: string;
    language?: string;
    createdAt?: string;
  };
  subscription: {
    tier: string;
    status: string;
    currentPeriodEnd?: string | null;
  };
  apiUsage: {
    aiGenerations: {
      used: number;
      limit: number | null;
      remaining: number | null;
      resetsAt?: string | null;
    };
    rateLimit?: {
      limit: number;
      remaining: number;
      resetsAt?: string | null;
    };
  };
}

// ---------------------------------------------------------------- conversations

export type ConversationKind = 'meeting' | 'chat';
export type ConversationStatus = 'active' | 'in_progress' | 'completed' | 'abandoned';
export const conversationKinds: ConversationKind[] = ['meeting', 'chat'];
export const conversationStatuses: ConversationStatus[] = ['active', 'in_progress', 'completed', 'abandoned'];

/** A conversation in the trash (GET /conversations/deleted). */
export interface DeletedConversation extends Conversation {
  deletedAt: string;
}

export interface Conversation {
  id: string;
  title: string | null;
  kind?: ConversationKind;
  status?: ConversationStatus;
  startTime?: string | null;
  endTime?: string | null;
  /** IANA zone given for this conversation; null: the profile's zone applies. */
  timeZone?: string | null;
  /** Minutes. */
  duration?: number | null;
  segmentCount?: number;
  promptId?: string | null;
  llmModel?: string | null;
  companyName?: string | null;
  metadata?: Record<string, unknown> | null;
  hasInsights?: boolean;
  shareUrl?: string | null;
  createdAt?: string;
  updatedAt?: string;
  /** With a search: where the conversation matched (its best segment, or its title). */
  match?: SearchMatch;
  /** With include=overview: the summary's first sentence (null before any analysis) and who spoke. */
  overview?: { summary: string | null; speakers: string[] };
}

/** POST /query: an answer across conversations, every claim cited. */
export interface AcrossAnswer {
  query: string;
  response: string;
  source: 'key_points' | 'transcripts';
  intent: 'decisions' | 'action_items' | 'general';
  citations: Array<{ conversationId: string; title: string; startTime: string | null; segmentIndex: number; quote: string }>;
  conversationsConsidered: number;
}

export interface SearchMatch {
  field: 'transcript' | 'title';
  segmentIndex: number | null;
  speaker: string | null;
  timestamp: string | null;
  /** HTML-escaped, matched words in <mark>…</mark>. */
  snippet: string;
}

export interface ConversationDetail extends Conversation {
  content?: string;
  insights?: Insights | null;
}

export interface ListConversationsParams {
  limit?: number;
  offset?: number;
  search?: string;
  since?: string;
  status?: string;
  kind?: string;
  hasInsights?: string;
  promptId?: string;
  sort?: 'startTime' | 'createdAt';
  include?: 'overview';
}

export interface Segment {
  index: number;
  text: string;
  speaker: string;
  timestamp: string | null;
  role?: string | null;
}

export interface Transcript {
  id: string;
  segments: Segment[];
}

export interface Evidence {
  segmentIndex: number;
  quote: string;
}

// ---------------------------------------------------------------- key points

export interface PointDetail {
  text: string;
  evidence?: Evidence[];
}

export interface KeypointSection {
  heading: string;
  /** A sentence or two on the section, when the engine gives one (additive). */
  summary?: string;
  points: string[];
  pointDetails?: PointDetail[];
}

export interface ActionItem {
  /** Its id in /action-items, stable across regenerations. */
  id?: string;
  item: string;
  owner?: string | null;
  confidence?: number;
  priority?: string;
  dueDate?: string | null;
  evidence?: Evidence[];
}

export interface ImportantDate {
  date: string;
  context: string;
  evidence?: Evidence[];
}

export interface Keypoints {
  title?: string;
  /** 3–6 sentences on what the conversation was for, what was settled and what happens next. */
  summary?: string;
  sections: KeypointSection[];
  decisions: string[];
  decisionDetails?: PointDetail[];
  actionItems: ActionItem[];
  participants: string[];
  importantDates: ImportantDate[];
}

export interface KeypointsResult {
  id: string;
  title?: string | null;
  keypoints: Keypoints;
  createdAt: string;
  cached?: boolean;
}

// ---------------------------------------------------------------- feedback

export interface CategoryScores {
  clarity: number;
  listening: number;
  timeManagement: number;
  collaboration: number;
  decisionMaking: number;
}

export interface Strength {
  category: string;
  description: string;
  timestamp?: string;
  quote?: string;
  evidence?: Evidence[];
}

export interface GrowthArea {
  category: string;
  description: string;
  suggestion: string;
  timestamp?: string;
  quote?: string;
  evidence?: Evidence[];
}

export interface SpeakerMetric {
  speaker: string;
  words: number;
  segments: number;
  talkTimeShare: number;
}

export interface TimelineBucket {
  bucket: number;
  speaker: string;
  words: number;
}

/** Meetings carry the talk measures, chats the turn measures; older cached feedback has no `kind`. */
export interface FeedbackMetrics {
  kind?: 'meeting' | 'chat';
  talkTimeShare: number;
  interruptions?: number;
  questionsAsked?: number;
  longestMonologueSeconds?: number | null;
  longestMonologueWords?: number;
  fillerRate?: number;
  wordsPerMinute?: number | null;
  talkTimeline?: TimelineBucket[];
  turns?: number;
  medianResponseSeconds?: number | null;
  speakers: SpeakerMetric[];
}

export interface Feedback {
  overallScore: number;
  topPriority?: { focus: string; quote: string; reason: string; alternative: string };
  strengths: Strength[];
  growthAreas: GrowthArea[];
  categoryScores: CategoryScores;
  /** 0..1 (older clients sent a percentage; both are handled). */
  talkListenRatio: number;
  actionPlan: string[];
  metrics?: FeedbackMetrics;
}

export interface FeedbackResult {
  id: string;
  feedback: Feedback;
  overallScore: number;
  userSpeakerName?: string | null;
  createdAt: string;
  cached?: boolean;
}

// ---------------------------------------------------------------- insights (chats)

export interface InsightIssue {
  type: string;
  description: string;
  evidence?: Evidence[];
}

export interface Insights {
  conversationId?: string;
  sentiment: string;
  sentimentScore?: number;
  taskCompleted: boolean | null;
  taskSignals?: string[];
  topics: string[];
  summary: string;
  issues?: InsightIssue[];
  createdAt?: string;
  cached?: boolean;
}

// ---------------------------------------------------------------- query, email, share

export interface QueryResult {
  id: string;
  query: string;
  response: string;
  metadata?: Record<string, unknown>;
  suggestedQueries?: string[];
  evidence?: Evidence[];
}

export type EmailTone = 'professional' | 'casual' | 'concise';
export const emailTones: EmailTone[] = ['professional', 'casual', 'concise'];

export interface EmailDraft {
  id: string;
  subject: string;
  body: string;
  keyPoints?: string[];
  actionItems?: string[];
  generatedAt?: string;
}

export interface ShareResult {
  id: string;
  shareUrl: string;
}

// ---------------------------------------------------------------- import

export interface ImportPreview {
  format: string;
  title?: string | null;
  /** The start the times count from: the one given, else the time of the import. */
  startTime?: string | null;
  segments: { speaker: string; text: string; timestamp?: string | null }[];
  warnings?: string[];
}

// ---------------------------------------------------------------- keys

export interface ApiKey {
  id: string;
  name: string | null;
  prefix: string;
  createdAt: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

export interface CreatedApiKey {
  id: string;
  name: string | null;
  prefix: string;
  key: string;
  createdAt: string;
}

// ---------------------------------------------------------------- webhooks

export const webhookEvents = [
  'conversation.created',
  'conversation.updated',
  'conversation.keypoints.ready',
  'conversation.summary.ready',
  'conversation.action_items.ready',
  'conversation.feedback.ready',
  'conversation.shared',
  'conversation.deleted',
  'transcript.ready',
  'transcript.failed',
  'webhook.test',
] as const;

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
  disabledAt: string | null;
}

export interface CreatedWebhook {
  id: string;
  url: string;
  events: string[];
  secret: string;
  createdAt: string;
}

export interface WebhookTestResult {
  webhookId: string;
  delivered: boolean;
  statusCode: number | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'disabled';

export interface WebhookDelivery {
  id: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  responseCode: number | null;
  latencyMs: number | null;
  nextAttemptAt: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
}

// ---------------------------------------------------------------- calendar

export interface CalendarSource {
  type: 'ics' | 'google' | null;
  url?: string | null;
  calendarId?: string | null;
}

export type CalendarSourceInput =
  | { type: 'ics'; url: string }
  | { type: 'google'; refreshToken: string; clientId: string; clientSecret: string; calendarId?: string };

export interface CalendarEvent {
  id: string;
  title: string;
  start: string;
  end: string;
  /** When true, `start` and `end` are `YYYY-MM-DD` days, `end` exclusive (the day after the last). */
  allDay: boolean;
  timeZone?: string | null;
  attendees?: { name?: string | null; email?: string | null }[];
  location?: string | null;
  meetingLink?: string | null;
}

// ---------------------------------------------------------------- action items

export type ActionItemStatus = 'open' | 'done' | 'dismissed';

/** One action item tracked across conversations (GET /action-items). */
export interface TrackedActionItem {
  id: string;
  conversationId: string;
  conversationTitle: string;
  conversationStartTime: string | null;
  item: string;
  owner: string | null;
  dueDate: string | null;
  priority: string;
  confidence: number;
  evidence: Evidence[];
  status: ActionItemStatus;
  suggestedStatus: 'done' | null;
  mentions: Array<{ conversationId: string; segmentIndex: number; quote: string; suggestsDone: boolean }>;
  editedFields: Array<'status' | 'owner' | 'dueDate'>;
  createdAt: string;
  updatedAt: string;
}

export interface ActionItemPage {
  data: TrackedActionItem[];
  pagination: { limit: number; nextCursor: string | null };
}

/** GET /search?groupBy=conversation: one entry per conversation with its best matching segments. */
export interface SearchSegmentHit {
  segmentIndex: number;
  speaker: string;
  timestamp: string | null;
  /** HTML-escaped, matched words in <mark>…</mark>. */
  snippet: string;
  score: number;
}

export interface SearchConversationHit {
  conversationId: string;
  title: string;
  kind: ConversationKind;
  startTime: string | null;
  score: number;
  matchCount: number;
  matches: SearchSegmentHit[];
}

export interface SearchPage {
  data: SearchConversationHit[];
  pagination: { limit: number; nextCursor: string | null };
  didYouMean: string | null;
}
