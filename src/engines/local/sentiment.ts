// Conversation sentiment from the user's side. Chats are read by a model learned from ~2,000
// rated support dialogues (chat-model.ts; see scripts/train-chat.ts); hand-tuned rules had fitted
// the 30 dev dialogues and did not carry over to others. Meetings, which that model never saw, keep
// the rule below: vader on each turn, later turns weighing more, friction pulling the score down.
import vader from 'vader-sentiment';
import type { Sentiment } from '../schemas.js';
import { sentimentFeatures } from './chat-features.js';
import { SENTIMENT_MODEL, TURN_MODELS } from './chat-model.js';
import { regressionLabel, regressionScore } from './linear-model.js';
import { isUserTurn } from './topics.js';
import type { Transcript } from './transcript.js';

export const DELIGHT = /\b(?:great|wonderful|perfect|awesome|excellent|fantastic|amazing|love|lovely|fun|brilliant|superb|appreciate|helpful|exactly what)\b/gi;
export const FAILURE = /\b(?:sorry|unfortunately|unable|couldn't|could not|can't find|cannot|no (?:availability|results|matches)|not available|unavailable|fail(?:ed|ure)?|there (?:are|is) no|isn't available|no longer|booking (?:was )?unsuccessful|error)\b/gi;
export const CORRECTION = /^(?:no|nope|nah|that's not|not quite|wrong)\b[,.!]?\s*(?:i (?:said|want|wanted|need|meant)|it'?s|make it|that's not|the|i'm|change|not)\b|\bi (?:already )?said\b|\bthat'?s (?:not|wrong)\b|\bnot what i\b/i;
export const FRUSTRATION = /\b(?:seriously|ridiculous|useless|terrible|awful|horrible|waste of (?:time|money)|annoy(?:ed|ing)|frustrat(?:ed|ing)|angry|unacceptable|still (?:not|doesn't|isn't|won't|can't)|not working|doesn't work|never (?:works|worked)|what the hell|come on|again\?|!!+)\b|!{2,}|\?{2,}/i;

export const CONTENT_CLOSING = /\b(?:thanks?|thank you|that'?s (?:all|everything|it)|all set|that (?:works|will work|is perfect|helps)|perfect|great|awesome|appreciate|goodbye|bye|have a (?:good|nice|great))\b/i;
export const STUCK = /\b(?:still (?:not|doesn't|isn't|won't|can't|broken|having)|(?:didn't|doesn't|does not|did not) (?:help|work|fix|solve)|not (?:resolved|fixed|solved)|never mind|forget it|i'll go elsewhere|give up|useless|that's not what i (?:asked|wanted|need))\b/i;
/** How a frustrated user ends a chat they gave up on. */
export const GAVE_UP = /\b(?:whatever|unbelievable|you (?:haven't|have not|didn't|did not) help(?:ed)?|i'm (?:cancell?ing|switching|done)|this is (?:a joke|pointless))\b/i;
const PLEASED = new RegExp(DELIGHT.source, 'i');

/** "are you serious?? that would be amazing" is delight, not frustration. */
export function frustrated(text: string): RegExp | undefined {
  if (STUCK.test(text)) return STUCK;
  if (GAVE_UP.test(text)) return GAVE_UP;
  return FRUSTRATION.test(text) && !PLEASED.test(text) && !CONTENT_CLOSING.test(text) ? FRUSTRATION : undefined;
}

export interface SentimentResult {
  sentiment: Sentiment;
  score: number;
}

function userSegments(t: Transcript): number[] {
  const roles = t.segments.map((s) => s.role);
  if (roles.some((r) => r === 'user')) return t.segments.map((_, i) => i).filter((i) => roles[i] === 'user');
  // Meetings and unlabelled logs: everyone's words count.
  return t.segments.map((_, i) => i);
}

function assistantSegments(t: Transcript): number[] {
  return t.segments.map((_, i) => i).filter((i) => t.segments[i].role === 'assistant');
}

/**
 * score = weighted mean of vader compound over user turns (weight 1 → 2 from first to last,
 *         ×1.5 for the last two)
 *       + 0.12·min(3, delight words) − 0.08·min(4, assistant failures)
 *       − 0.15·min(3, user corrections) − 0.35·min(2, frustration markers)
 * clamped to [−1, 1]; positive ≥ 0.45, negative ≤ −0.4 (polite closings alone reach ~0.3,
 * so the bar for "positive" sits above them), else neutral.
 */
export function conversationSentiment(t: Transcript): SentimentResult {
  return t.conv.kind === 'chat' ? chatSentiment(t) : meetingSentiment(t);
}

/**
 * The learned model predicts the rating a user would give the chat (1–5); its label comes from the
 * model's two thresholds. The score maps that rating onto −1…1 so that it passes −0.4 exactly at
 * the negative threshold and 0.45 at the positive one (the same bars as meetings). A user still
 * openly frustrated at the end, who was so before too or whose rating the model puts in the lower
 * quarter between the thresholds, is negative: the rated dialogues the model learned from hardly
 * contain such users, so on its own it calls negative only with great caution.
 */
export function chatSentiment(t: Transcript): SentimentResult {
  if (!t.segments.length) return { sentiment: 'neutral', score: 0 };
  const turns = t.segments.map((s, i) => ({ role: isUserTurn(t, i) ? 'user' : 'assistant', text: s.text }));
  const rating = regressionScore(SENTIMENT_MODEL, sentimentFeatures(turns, TURN_MODELS));
  const label = regressionLabel(SENTIMENT_MODEL, rating) as Sentiment;
  const [low, high] = SENTIMENT_MODEL.thresholds;
  const mid = (low + high) / 2;
  const raw = rating >= mid ? (0.45 * (rating - mid)) / (high - mid) : (0.4 * (rating - mid)) / (mid - low);
  const score = Math.round(Math.max(-1, Math.min(1, raw)) * 100) / 100;
  const user = turns.filter((x) => x.role === 'user').map((x) => x.text);
  const upset = user.filter((x) => frustrated(x)).length;
  const endsUpset = user.length > 0 && frustrated(user[user.length - 1]) !== undefined;
  if (endsUpset && (upset >= 2 || rating < low + (high - low) / 4)) return { sentiment: 'negative', score: Math.min(score, -0.4) };
  return { sentiment: label, score };
}

export function meetingSentiment(t: Transcript): SentimentResult {
  const users = userSegments(t);
  if (!users.length) return { sentiment: 'neutral', score: 0 };
  let sum = 0;
  let weights = 0;
  let delight = 0;
  let corrections = 0;
  let frustration = 0;
  users.forEach((seg, k) => {
    const text = t.segments[seg].text;
    const compound = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
    let w = 1 + (users.length > 1 ? k / (users.length - 1) : 0);
    if (k >= users.length - 2) w *= 1.5;
    sum += compound * w;
    weights += w;
    delight += (text.match(DELIGHT) ?? []).length;
    if (CORRECTION.test(text.trim())) corrections++;
    if (FRUSTRATION.test(text)) frustration++;
  });
  let failures = 0;
  for (const seg of assistantSegments(t)) failures += (t.segments[seg].text.match(FAILURE) ?? []).length;
  const raw = sum / weights + 0.12 * Math.min(3, delight) - 0.08 * Math.min(4, failures) - 0.15 * Math.min(3, corrections) - 0.35 * Math.min(2, frustration);
  const score = Math.round(Math.max(-1, Math.min(1, raw)) * 100) / 100;
  const sentiment: Sentiment = score >= 0.45 ? 'positive' : score <= -0.4 ? 'negative' : 'neutral';
  return { sentiment, score };
}
