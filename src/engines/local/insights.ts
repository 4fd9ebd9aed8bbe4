// Converra-style insights for a conversation: sentiment, task outcome, topics, a short summary
// and the issues worth a human look, each issue pointing at its evidence, plus the measures that
// fit its kind (chat or meeting).
import type { Insights } from '../schemas.js';
import { summariseDialogue } from './dialogue-summary.js';
import { analyseSections } from './keypoints.js';
import { summariseConversation } from './meeting-summary.js';
import { measuresFor } from './measures.js';
import { conversationSentiment } from './sentiment.js';
import { assessTask } from './task-status.js';
import { conversationTopics } from './topics.js';
import type { Transcript } from './transcript.js';

/** Long meetings read better as a topic summary than as two retold utterances. */
const DIALOGUE_SUMMARY_MAX_WORDS = 1500;

export function buildInsights(t: Transcript): Insights {
  const sentiment = conversationSentiment(t);
  const task = assessTask(t);
  const summary =
    t.totalWords <= DIALOGUE_SUMMARY_MAX_WORDS
      ? summariseDialogue(t).text
      : summariseConversation(t, analyseSections(t), { decisionDetails: [] }, 80).text;
  return {
    sentiment: sentiment.sentiment,
    sentimentScore: sentiment.score,
    taskCompleted: task.taskCompleted,
    taskSignals: task.taskSignals,
    topics: conversationTopics(t),
    summary: summary || 'The conversation has no substantive content to summarise.',
    issues: task.issues,
    measures: measuresFor(t, task.taskCompleted),
  };
}
