// The contract every analysis engine (local or LLM) must satisfy. Shapes follow the Convo /
// Converra seeds field for field; Colloquy's additions (evidence, details, metrics) are
// additive so clients written against the seeds keep working (SPEC §1, §2).
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const score10 = z.number().min(0).max(10);
const unit = z.number().min(0).max(1);

/** A pointer into the transcript; `quote` is a verbatim substring of that segment's text. */
export const evidenceSchema = z.object({
  segmentIndex: z.number().int().min(0),
  quote: z.string(),
});
export type Evidence = z.infer<typeof evidenceSchema>;
const evidenceList = z.array(evidenceSchema);

// ---------------------------------------------------------------- key points (seed 000)

export const pointDetailSchema = z.object({ text: z.string(), evidence: evidenceList });
export type PointDetail = z.infer<typeof pointDetailSchema>;

export const keypointSectionSchema = z.object({
  heading: z.string(),
  points: z.array(z.string()),
  /** Aligned 1:1 with `points`; carries the evidence the seed's plain strings cannot. */
  pointDetails: z.array(pointDetailSchema),
});
export type KeypointSection = z.infer<typeof keypointSectionSchema>;

export const prioritySchema = z.enum(['high', 'medium', 'low']);
export type Priority = z.infer<typeof prioritySchema>;

export const actionItemSchema = z.object({
  item: z.string(),
  owner: z.string().nullable(),
  confidence: unit,
  priority: prioritySchema,
  dueDate: isoDate.nullable().optional(),
  evidence: evidenceList,
});
export type ActionItem = z.infer<typeof actionItemSchema>;

export const importantDateSchema = z.object({
  date: isoDate,
  context: z.string(),
  evidence: evidenceList,
});
export type ImportantDate = z.infer<typeof importantDateSchema>;

export const keypointsSchema = z.object({
  title: z.string(),
  /**
   * 3–6 sentences: what the conversation was for, what was settled and what happens next.
   * Colloquy's addition; optional so engines and stored results from before it stay valid.
   */
  summary: z.string().optional(),
  sections: z.array(keypointSectionSchema),
  decisions: z.array(z.string()),
  /** Aligned 1:1 with `decisions`. */
  decisionDetails: z.array(pointDetailSchema),
  actionItems: z.array(actionItemSchema),
  participants: z.array(z.string()),
  importantDates: z.array(importantDateSchema),
});
export type Keypoints = z.infer<typeof keypointsSchema>;

// ---------------------------------------------------------------- feedback (seed 003)

export const strengthSchema = z.object({
  category: z.string(),
  description: z.string(),
  /** "HH:MM" wall-clock when segments carry timestamps, else elapsed "MM:SS" estimated at 150 wpm. */
  timestamp: z.string(),
  quote: z.string(),
  evidence: evidenceList,
});
export type Strength = z.infer<typeof strengthSchema>;

export const growthAreaSchema = z.object({
  category: z.string(),
  description: z.string(),
  suggestion: z.string(),
  timestamp: z.string(),
  quote: z.string().optional(),
  evidence: evidenceList,
});
export type GrowthArea = z.infer<typeof growthAreaSchema>;

export const topPrioritySchema = z.object({
  focus: z.string(),
  quote: z.string(),
  reason: z.string(),
  alternative: z.string(),
});
export type TopPriority = z.infer<typeof topPrioritySchema>;

export const categoryScoresSchema = z.object({
  clarity: score10,
  listening: score10,
  timeManagement: score10,
  collaboration: score10,
  decisionMaking: score10,
});
export type CategoryScores = z.infer<typeof categoryScoresSchema>;

export const speakerMetricSchema = z.object({
  speaker: z.string(),
  words: z.number().int().min(0),
  segments: z.number().int().min(0),
  talkTimeShare: unit,
});
export type SpeakerMetric = z.infer<typeof speakerMetricSchema>;

export const timelineBucketSchema = z.object({
  bucket: z.number().int().min(0),
  speaker: z.string(),
  words: z.number().int().min(0),
});
export type TimelineBucket = z.infer<typeof timelineBucketSchema>;

/**
 * Chat measures: what a chat's quality is read from. Response times need real timestamps (messages
 * stamped with one shared time have none to give).
 */
export const chatMeasuresSchema = z.object({
  kind: z.literal('chat'),
  userTurns: z.number().int().min(0),
  assistantTurns: z.number().int().min(0),
  /** Seconds from a user turn to the reply, or null without usable timestamps. */
  medianResponseSeconds: z.number().min(0).nullable(),
  longestResponseSeconds: z.number().min(0).nullable(),
  /** Whether the user's request was fulfilled (`taskCompleted` of the insights). */
  resolved: z.boolean().nullable(),
  /** Handed to a human, a supervisor or a review queue. */
  escalated: z.boolean(),
});
export type ChatMeasures = z.infer<typeof chatMeasuresSchema>;

/** Meeting measures across all speakers (feedback metrics give them for one speaker). */
export const meetingMeasuresSchema = z.object({
  kind: z.literal('meeting'),
  speakers: z.array(speakerMetricSchema),
  interruptions: z.number().int().min(0),
  questions: z.number().int().min(0),
  longestMonologueWords: z.number().int().min(0),
  /** Null without usable timestamps: a duration is then not measured. */
  longestMonologueSeconds: z.number().min(0).nullable(),
});
export type MeetingMeasures = z.infer<typeof meetingMeasuresSchema>;

/**
 * Feedback metrics fit the kind of conversation: meetings get talk time, interruptions,
 * monologues, questions, fillers and pace; chats get turns and response times instead, since a
 * typed message cannot interrupt and its length is not speaking time.
 */
export const feedbackMetricsSchema = z.object({
  kind: z.enum(['meeting', 'chat']),
  /** Fraction 0..1 of all words that belong to the user. */
  talkTimeShare: unit,
  // Meetings only.
  interruptions: z.number().int().min(0).optional(),
  questionsAsked: z.number().int().min(0).optional(),
  /** Null when the transcript has no usable timestamps. */
  longestMonologueSeconds: z.number().min(0).nullable().optional(),
  longestMonologueWords: z.number().int().min(0).optional(),
  /** Fillers per 100 words of the user's speech. */
  fillerRate: z.number().min(0).optional(),
  wordsPerMinute: z.number().min(0).nullable().optional(),
  talkTimeline: z.array(timelineBucketSchema).optional(),
  // Chats only.
  turns: z.number().int().min(0).optional(),
  medianResponseSeconds: z.number().min(0).nullable().optional(),
  speakers: z.array(speakerMetricSchema),
});
export type FeedbackMetrics = z.infer<typeof feedbackMetricsSchema>;

export const feedbackSchema = z.object({
  /** 0..10 with one decimal. */
  overallScore: score10,
  topPriority: topPrioritySchema,
  strengths: z.array(strengthSchema),
  growthAreas: z.array(growthAreaSchema),
  categoryScores: categoryScoresSchema,
  /** Fraction 0..1 of talk time that is the user's, as in seed 003. */
  talkListenRatio: unit,
  actionPlan: z.array(z.string()),
  metrics: feedbackMetricsSchema,
  /** Identifies the formulas behind the scores so cached results can be told apart. */
  formulaVersion: z.string(),
});
export type Feedback = z.infer<typeof feedbackSchema>;

export const feedbackResultSchema = feedbackSchema.extend({ userSpeakerName: z.string() });
export type FeedbackResult = z.infer<typeof feedbackResultSchema>;

// ---------------------------------------------------------------- query (seed 002)

export const queryIntentSchema = z.enum(['summary', 'action_items', 'decisions', 'people', 'dates', 'specific']);
export type QueryIntent = z.infer<typeof queryIntentSchema>;

export const queryMetadataSchema = z.looseObject({
  segmentsAnalyzed: z.number().int().min(0),
  /** Minutes, or null when the transcript has no timing. */
  conversationDuration: z.number().min(0).nullable(),
  intent: queryIntentSchema.optional(),
});

export const queryResultSchema = z.object({
  response: z.string(),
  metadata: queryMetadataSchema,
  suggestedQueries: z.array(z.string()),
  evidence: evidenceList,
});
export type QueryResult = z.infer<typeof queryResultSchema>;

// ---------------------------------------------------------------- email (seed 002)

export const emailToneSchema = z.enum(['professional', 'casual', 'concise']);
export type EmailTone = z.infer<typeof emailToneSchema>;

export const emailDraftSchema = z.object({
  subject: z.string(),
  body: z.string(),
  keyPoints: z.array(z.string()),
  actionItems: z.array(z.string()),
});
export type EmailDraft = z.infer<typeof emailDraftSchema>;

// ---------------------------------------------------------------- insights (seed 004)

export const sentimentSchema = z.enum(['positive', 'neutral', 'negative']);
export type Sentiment = z.infer<typeof sentimentSchema>;

export const issueSchema = z.object({
  type: z.enum(['error', 'frustration', 'unresolved_request']),
  description: z.string(),
  evidence: evidenceList,
});
export type Issue = z.infer<typeof issueSchema>;

export const insightsSchema = z.object({
  sentiment: sentimentSchema,
  sentimentScore: z.number().min(-1).max(1),
  taskCompleted: z.boolean().nullable(),
  taskSignals: z.array(z.string()),
  topics: z.array(z.string()),
  summary: z.string(),
  issues: z.array(issueSchema),
  /** Measures that fit the kind of conversation (additive; absent from insights cached before it). */
  measures: z.discriminatedUnion('kind', [chatMeasuresSchema, meetingMeasuresSchema]).optional(),
});
export type Insights = z.infer<typeof insightsSchema>;
