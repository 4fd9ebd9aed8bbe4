// Category scores from measured behaviour. The formulas are deliberately simple and linear so a
// user can be told exactly why a score moved; `FORMULA_VERSION` changes whenever they do.
import type { CategoryScores } from '../schemas.js';
import { monologueSecondsForScoring, type UserMetrics } from './feedback-metrics.js';
import type { Transcript } from './transcript.js';

export const FORMULA_VERSION = 'local-2026.1';

export const INCLUSIVE = /\b(?:we|us|our|let's|together)\b/gi;
export const INVITATION = /\b(?:what do you think|what are your thoughts|any thoughts|how about you|what about you|does that make sense|do you agree|would you|could you|can you|your (?:view|opinion|take|thoughts)|over to you|go ahead|anyone else|any questions|how do you feel|what would you)\b/i;
export const ACKNOWLEDGE = /\b(?:good point|great point|fair point|i agree|agreed|that's right|exactly|thank you|thanks|good idea|great idea|makes sense|i see what you mean|you're right|well said|nice)\b/i;
export const DECISIVE = /\b(?:let's|we'll|we will|i'll|i will|we decided|we agreed|the decision|go with|next step|action item|by (?:monday|tuesday|wednesday|thursday|friday|tomorrow|next week|the end of)|deadline|agreed|so the plan is|to summari[sz]e)\b/i;
export const HEDGES = /\b(?:maybe|perhaps|i guess|sort of|kind of|i'm not sure|not sure|probably|possibly|i don't know|might)\b/gi;
export const STRUCTURE = /\b(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|finally|next (?:item|topic|point|step|up)|moving on|agenda|to summari[sz]e|in summary|let's move|the plan|the goal|our goal|main point|two things|three things)\b/i;
export const TIME_AWARE = /\b(?:minutes? left|on time|time check|running (?:late|over)|wrap up|let's move on|in the interest of time|time is|agenda|next item|quickly)\b/i;

const clamp = (v: number) => Math.round(Math.min(10, Math.max(0, v)) * 10) / 10;

export interface LanguageCounts {
  inclusive: number;
  firstPerson: number;
  invitations: number;
  acknowledgements: number;
  decisive: number;
  hedges: number;
  structure: number;
  timeAware: number;
  meanSentenceWords: number;
}

export function languageCounts(t: Transcript, user: string): LanguageCounts {
  const sents = t.sentences.filter((s) => s.speaker === user);
  const c: LanguageCounts = { inclusive: 0, firstPerson: 0, invitations: 0, acknowledgements: 0, decisive: 0, hedges: 0, structure: 0, timeAware: 0, meanSentenceWords: 0 };
  let words = 0;
  for (const s of sents) {
    const r = s.raw;
    c.inclusive += (r.match(INCLUSIVE) ?? []).length;
    c.firstPerson += (r.match(/\b(?:i|me|my|mine)\b/gi) ?? []).length;
    if (INVITATION.test(r)) c.invitations++;
    if (ACKNOWLEDGE.test(r)) c.acknowledgements++;
    if (DECISIVE.test(r)) c.decisive++;
    c.hedges += (r.match(HEDGES) ?? []).length;
    if (STRUCTURE.test(r)) c.structure++;
    if (TIME_AWARE.test(r)) c.timeAware++;
    words += s.words;
  }
  c.meanSentenceWords = sents.length ? words / sents.length : 0;
  return c;
}

/**
 * With n speakers, a "fair" share is 1/n; the user's excess over it is `dominance`.
 * Rates are per user turn (turns) or per 100 user words (words).
 *
 * clarity        = 10 − min(4, 0.6·fillerRate) − min(3, max(0, meanSentenceWords − 22)/5)
 *                      − (pace outside 110–180 wpm ? 1 : 0) + min(1, 0.25·structure)
 * listening      = 9 − min(4, 10·interruptions/turns) − min(3, 8·dominance)
 *                      + min(1.5, 3·questions/turns)
 * timeManagement = 9 − min(4, max(0, monologueSeconds − 90)/45) − min(2, 5·dominance)
 *                      + min(1, 0.5·timeAware)
 * collaboration  = 5 + min(2, 4·inclusive/(inclusive + firstPerson)) + min(1.5, 0.5·invitations)
 *                      + min(1, 0.34·acknowledgements) + min(1.5, 3·questions/turns) − min(2, 8·dominance)
 * decisionMaking = 6 + min(3, decisive) − min(3, 1.5·hedges per 100 words) + min(1, 0.5·structure)
 * overall        = mean of the five, one decimal.
 */
export function categoryScores(m: UserMetrics, lang: LanguageCounts, speakerCount: number): CategoryScores {
  const turns = Math.max(1, m.userTurns.length);
  const words100 = Math.max(1, m.userWords / 100);
  const fair = 1 / Math.max(1, speakerCount);
  const dominance = Math.max(0, m.talkTimeShare - fair);
  const questionRate = m.questionsAsked / turns;
  const pace = m.wordsPerMinute;
  const clarity =
    10 -
    Math.min(4, 0.6 * m.fillerRate) -
    Math.min(3, Math.max(0, lang.meanSentenceWords - 22) / 5) -
    (pace !== null && (pace < 110 || pace > 180) ? 1 : 0) +
    Math.min(1, 0.25 * lang.structure);
  const listening = 9 - Math.min(4, (10 * m.interruptions) / turns) - Math.min(3, 8 * dominance) + Math.min(1.5, 3 * questionRate);
  const timeManagement = 9 - Math.min(4, Math.max(0, monologueSecondsForScoring(m) - 90) / 45) - Math.min(2, 5 * dominance) + Math.min(1, 0.5 * lang.timeAware);
  const inclusiveShare = lang.inclusive + lang.firstPerson ? lang.inclusive / (lang.inclusive + lang.firstPerson) : 0;
  const collaboration =
    5 +
    Math.min(2, 4 * inclusiveShare) +
    Math.min(1.5, 0.5 * lang.invitations) +
    Math.min(1, 0.34 * lang.acknowledgements) +
    Math.min(1.5, 3 * questionRate) -
    Math.min(2, 8 * dominance);
  const decisionMaking = 6 + Math.min(3, lang.decisive) - Math.min(3, (1.5 * lang.hedges) / words100) + Math.min(1, 0.5 * lang.structure);
  return {
    clarity: clamp(clarity),
    listening: clamp(listening),
    timeManagement: clamp(timeManagement),
    collaboration: clamp(collaboration),
    decisionMaking: clamp(decisionMaking),
  };
}

export function overallScore(c: CategoryScores): number {
  return clamp((c.clarity + c.listening + c.timeManagement + c.collaboration + c.decisionMaking) / 5);
}
