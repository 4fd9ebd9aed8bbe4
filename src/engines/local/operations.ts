// The local engine's operations as plain functions of plain data, so the same code runs in the
// calling thread and inside pool workers (whose inputs and outputs must be structured-cloneable).
import type { EmailDraft, Feedback, Insights, Keypoints, QueryResult } from '../schemas.js';
import type { EngineConversation } from '../types.js';
import { draftEmail } from './email.js';
import { buildFeedback } from './feedback.js';
import { buildInsights } from './insights.js';
import { analyseSections, buildKeypoints } from './keypoints.js';
import { answerQuery } from './query.js';
import { prepareTranscript } from './transcript.js';

export function keypointsOp(c: EngineConversation): Keypoints {
  return buildKeypoints(prepareTranscript(c));
}

export function feedbackOp(c: EngineConversation, opts: { userSpeakerName?: string }): Feedback & { userSpeakerName: string } {
  return buildFeedback(prepareTranscript(c), opts);
}

export function queryOp(c: EngineConversation, query: string): QueryResult {
  const t = prepareTranscript(c);
  const sections = analyseSections(t);
  return answerQuery({ t, sections, keypoints: buildKeypoints(t, sections) }, query);
}

export function emailOp(c: EngineConversation, opts: { recipientName?: string; tone: 'professional' | 'casual' | 'concise' }): EmailDraft {
  const t = prepareTranscript(c);
  return draftEmail({ t, keypoints: buildKeypoints(t) }, opts);
}

export function insightsOp(c: EngineConversation): Insights {
  return buildInsights(prepareTranscript(c));
}
