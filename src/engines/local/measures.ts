// Measures that fit the kind of conversation, for the insights. Chats: turns, reply times (when the
// timestamps are real), resolution and escalation. Meetings: talk time, interruptions, questions and
// monologues, per speaker as the feedback measures them. Neither kind gets the other's.
import type { ChatMeasures, MeetingMeasures } from '../schemas.js';
import { buildTurns, computeMetrics, speakerMetrics } from './feedback-metrics.js';
import { responseTimes } from '../../domain/transcripts/timing.js';
import { isUserTurn } from './topics.js';
import type { Transcript } from './transcript.js';

/** The assistant handed the user on: to a person, a supervisor or a review queue. */
const ESCALATION = /\b(?:connect(?:ing)? you (?:with|to)|transferr?(?:ing)? you|escalat(?:e|ed|ing)|hand(?:ing)? (?:you|this|your case) over|a (?:human|live) agent|supervisor|submitted (?:\w+ ){0,3}for review)\b/i;

export function chatMeasures(t: Transcript, resolved: boolean | null): ChatMeasures {
  const turns = buildTurns(t);
  const userTurns = turns.filter((x) => isUserTurn(t, x.segs[0])).length;
  const replies = responseTimes(t.segments, (i) => isUserTurn(t, i));
  const sorted = [...replies].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length ? (sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2) : null;
  return {
    kind: 'chat',
    userTurns,
    assistantTurns: turns.length - userTurns,
    medianResponseSeconds: median === null ? null : Math.round(median),
    longestResponseSeconds: sorted.length ? Math.round(sorted[sorted.length - 1]) : null,
    resolved,
    escalated: t.segments.some((s, i) => !isUserTurn(t, i) && ESCALATION.test(s.text)),
  };
}

export function meetingMeasures(t: Transcript): MeetingMeasures {
  let interruptions = 0;
  let questions = 0;
  let longest = { words: 0, seconds: null as number | null };
  for (const speaker of t.speakers) {
    const m = computeMetrics(t, speaker);
    interruptions += m.interruptions;
    questions += m.questionsAsked;
    if (m.longestMonologueWords > longest.words) longest = { words: m.longestMonologueWords, seconds: m.longestMonologueSeconds };
  }
  return { kind: 'meeting', speakers: speakerMetrics(t), interruptions, questions, longestMonologueWords: longest.words, longestMonologueSeconds: longest.seconds };
}

export function measuresFor(t: Transcript, resolved: boolean | null): ChatMeasures | MeetingMeasures {
  return t.conv.kind === 'chat' ? chatMeasures(t, resolved) : meetingMeasures(t);
}
