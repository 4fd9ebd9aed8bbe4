// Whether the user got what they came for, and what went wrong on the way. Only outcomes the
// transcript states count: a fulfilment the assistant states (booked, refunded, sent) or a user who
// confirms it is success; an action the assistant could not complete, a request left pending
// (submitted for review, escalated, "within 5–10 business days"), an error or a user still stuck
// or frustrated at the end is failure. A reference number alone proves nothing: pending tickets
// have them too. Meetings have no requester whose task could be judged, so they get none.
import type { Issue } from '../schemas.js';
import { CONTENT_CLOSING, STUCK, frustrated } from './sentiment.js';
import { truncateWords } from './text.js';
import { isUserTurn } from './topics.js';
import { sentenceEvidence, type Transcript } from './transcript.js';

const SUCCESS = /\b(?:(?:booking|reservation|order|appointment|payment|transfer|purchase) (?:was |is |has been )?(?:successful|confirmed|complete[d]?|made|placed|booked)|(?:i have|i've|i was able to|successfully) (?:booked|reserved|made|placed|scheduled|completed|confirmed|processed)|you(?:'re| are) (?:all )?(?:booked|set|confirmed)|booked for you|has been (?:booked|reserved|scheduled|resolved|fixed|processed|sent|issued|refunded|applied|upgraded|cancell?ed|updated|reset)|is now (?:fixed|resolved|working|active)|(?:i've|i have) (?:upgraded|refunded|issued|sent|applied|cancell?ed|updated|reset|turned on|enabled|activated|changed)|(?:invites?|refund|replacement) (?:was |has been )?(?:sent|issued))\b/i;
/** A chat assistant's "Done ✅": the check mark is not a word character, so it sits outside SUCCESS's \b. */
const DONE_MARK = /\b(?:done|booked|sent|added|confirmed|updated|cancell?ed)\s*✅/i;
/** The request was handed on rather than fulfilled. */
const PENDING = /\b(?:submitted (?:\w+ ){0,3}for review|under review|(?:i've|i have|has been|was|will be) escalated|escalat(?:e|ing) (?:your|the|this) (?:case|ticket|request|issue|complaint)|within (?:the next )?\d+(?:\s*(?:-|–|to)\s*\d+)? (?:business |working )?(?:days|hours|weeks)|(?:supervisor|specialist|manager|team) will (?:contact|call|email|get back to|reach out to) you|(?:we|i)(?:'ll| will) get back to you)/i;
const OUTCOME_FAILURE = /\b(?:(?:unable|couldn't|could not|can't|cannot|wasn't able|was not able|failed|not able)(?: to)? (?:book|make|complete|process|reserve|schedule|place|confirm|find|get|transfer|fix|resolve|cancel)|(?:booking|reservation|transaction|payment|transfer|request) (?:was |has )?(?:unsuccessful|failed|declined|rejected)|no (?:availability|tables|rooms|seats|slots)|fully booked|sold out|is not available|isn't available|not available at that time)\b/i;
const ERROR_TEXT = /\b(?:error|exception|stack trace|something went wrong|internal server|timed? ?out|failed to|failure|not found|invalid|denied)\b/i;

export interface TaskStatus {
  taskCompleted: boolean | null;
  taskSignals: string[];
  issues: Issue[];
}

const quote = (text: string) => `"${truncateWords(text.trim().replace(/\s+/g, ' '), 14)}"`;

function firstSentenceMatching(t: Transcript, seg: number, re: RegExp) {
  const ids = t.segSentences[seg];
  const hit = ids.map((id) => t.sentences[id]).find((s) => re.test(s.raw));
  return hit ?? t.sentences[ids[0]];
}

/** Meetings have no requester whose task could be judged, whichever engine reads them. */
export function hasTaskOutcome(kind: string): boolean {
  return kind !== 'meeting';
}

export const noTaskOutcome = (): TaskStatus => ({ taskCompleted: null, taskSignals: [], issues: [] });

export function assessTask(t: Transcript): TaskStatus {
  if (!hasTaskOutcome(t.conv.kind)) return noTaskOutcome();
  const signals: string[] = [];
  const issues: Issue[] = [];
  const n = t.segments.length;
  let lastSuccess = -1;
  let lastFailure = -1;
  let lastPending = -1;
  const evidenceAt = (seg: number, re: RegExp) => {
    const s = firstSentenceMatching(t, seg, re);
    return s ? [sentenceEvidence(t, s)] : [];
  };

  for (let i = 0; i < n; i++) {
    const seg = t.segments[i];
    const text = seg.text;
    if (isUserTurn(t, i)) {
      const cue = frustrated(text);
      if (cue) {
        issues.push({ type: 'frustration', description: `User expressed frustration: ${quote(text)}`, evidence: evidenceAt(i, cue) });
      }
      continue;
    }
    if (seg.role === 'tool' ? ERROR_TEXT.test(text) : /\b(?:error|something went wrong|internal server|exception)\b/i.test(text)) {
      issues.push({ type: 'error', description: `${seg.role === 'tool' ? 'A tool call' : 'The assistant'} reported an error: ${quote(text)}`, evidence: evidenceAt(i, ERROR_TEXT) });
    }
    if (SUCCESS.test(text) || DONE_MARK.test(text)) lastSuccess = i;
    if (PENDING.test(text)) {
      lastPending = i;
      issues.push({ type: 'unresolved_request', description: `The request was left pending: ${quote(text)}`, evidence: evidenceAt(i, PENDING) });
    }
    if (OUTCOME_FAILURE.test(text)) {
      lastFailure = i;
      issues.push({ type: 'unresolved_request', description: `The assistant could not complete a request: ${quote(text)}`, evidence: evidenceAt(i, OUTCOME_FAILURE) });
    }
  }

  const userTurns = t.segments.map((_, i) => i).filter((i) => isUserTurn(t, i));
  const lastUser = userTurns[userTurns.length - 1];
  const endsWithUnansweredQuestion = lastUser === n - 1 && /\?\s*$/.test(t.segments[lastUser].text.trim()) && n > 1;
  const tail = userTurns.slice(-2);
  const frustratedLast = lastUser !== undefined && frustrated(t.segments[lastUser].text) !== undefined;
  const stuckAtEnd = tail.some((i) => STUCK.test(t.segments[i].text)) || frustratedLast;
  const contentClosing = tail.some((i) => CONTENT_CLOSING.test(t.segments[i].text)) && !stuckAtEnd;
  // A failure that was followed by a success (another time, another hotel) was resolved.
  const failureStands = lastFailure >= 0 && lastFailure > lastSuccess;
  // A fulfilment stated in the same or a later turn settles a pending step ("refund issued; it
  // takes 3–5 business days to show").
  const pendingStands = lastPending >= 0 && lastPending > lastSuccess;

  if (lastSuccess >= 0) signals.push('success confirmed by the assistant (the fulfilment is stated)');
  if (contentClosing) signals.push('user closed contentedly (thanks / that is all)');
  if (failureStands) signals.push('the last attempted action failed');
  if (pendingStands) signals.push('the request was left pending (review, escalation or a later callback)');
  if (stuckAtEnd) signals.push('user still had a problem at the end');
  if (endsWithUnansweredQuestion) {
    signals.push('the last user question was not answered');
    issues.push({ type: 'unresolved_request', description: `The last question went unanswered: ${quote(t.segments[lastUser].text)}`, evidence: evidenceAt(lastUser, /\?/) });
  }

  let taskCompleted: boolean | null = null;
  if (stuckAtEnd || endsWithUnansweredQuestion || pendingStands) taskCompleted = false;
  // Something succeeded but the last attempt did not: partly done, which a boolean cannot say.
  else if (failureStands) taskCompleted = lastSuccess >= 0 ? null : false;
  else if (lastSuccess >= 0 || contentClosing) taskCompleted = true;
  return { taskCompleted, taskSignals: signals, issues: issues.slice(0, 10) };
}
