// Conversation sentiment from the user's side. Vader scores each user turn; later turns weigh
// more because how a conversation ends is what the user walks away with. Vader alone reads every
// polite "thanks, goodbye" as positive, so service friction (failed bookings, corrections,
// complaints) pulls the score down and real enthusiasm pushes it up.
import vader from 'vader-sentiment';
import type { Sentiment } from '../schemas.js';
import type { Transcript } from './transcript.js';

export const DELIGHT = /\b(?:great|wonderful|perfect|awesome|excellent|fantastic|amazing|love|lovely|fun|brilliant|superb|appreciate|helpful|exactly what)\b/gi;
export const FAILURE = /\b(?:sorry|unfortunately|unable|couldn't|could not|can't find|cannot|no (?:availability|results|matches)|not available|unavailable|fail(?:ed|ure)?|there (?:are|is) no|isn't available|no longer|booking (?:was )?unsuccessful|error)\b/gi;
export const CORRECTION = /^(?:no|nope|nah|that's not|not quite|wrong)\b[,.!]?\s*(?:i (?:said|want|wanted|need|meant)|it'?s|make it|that's not|the|i'm|change|not)\b|\bi (?:already )?said\b|\bthat'?s (?:not|wrong)\b|\bnot what i\b/i;
export const FRUSTRATION = /\b(?:seriously|ridiculous|useless|terrible|awful|horrible|waste of (?:time|money)|annoy(?:ed|ing)|frustrat(?:ed|ing)|angry|unacceptable|still (?:not|doesn't|isn't|won't|can't)|not working|doesn't work|never (?:works|worked)|what the hell|come on|again\?|!!+)\b|!{2,}|\?{2,}/i;

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
