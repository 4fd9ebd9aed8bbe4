// Whether the user got what they came for, and what went wrong on the way. Only outcomes the
// transcript states count: a booking reference or a contented closing is success; an action the
// assistant could not complete, an error or a user still stuck at the end is failure.
import type { Issue } from '../schemas.js';
import { FRUSTRATION } from './sentiment.js';
import { truncateWords } from './text.js';
import { isUserTurn } from './topics.js';
import { sentenceEvidence, type Transcript } from './transcript.js';

const SUCCESS = /\b(?:(?:booking|reservation|order|appointment|payment|transfer|purchase) (?:was |is |has been )?(?:successful|confirmed|complete[d]?|made|placed|booked)|(?:i have|i've|i was able to|successfully) (?:booked|reserved|made|placed|scheduled|completed|confirmed|processed)|you(?:'re| are) (?:all )?(?:booked|set|confirmed)|booked for you|reference (?:number|#|no)|confirmation (?:number|code)|has been (?:booked|reserved|scheduled|resolved|fixed|processed|sent)|is now (?:fixed|resolved|working))\b/i;
const OUTCOME_FAILURE = /\b(?:(?:unable|couldn't|could not|can't|cannot|wasn't able|was not able|failed|not able)(?: to)? (?:book|make|complete|process|reserve|schedule|place|confirm|find|get|transfer|fix|resolve|cancel)|(?:booking|reservation|transaction|payment|transfer|request) (?:was |has )?(?:unsuccessful|failed|declined|rejected)|no (?:availability|tables|rooms|seats|slots)|fully booked|sold out|is not available|isn't available|not available at that time)\b/i;
const CONTENT_CLOSING = /\b(?:thanks?|thank you|that'?s (?:all|everything|it)|all set|that (?:works|will work|is perfect|helps)|perfect|great|awesome|appreciate|goodbye|bye|have a (?:good|nice|great))\b/i;
const STUCK = /\b(?:still (?:not|doesn't|isn't|won't|can't|broken|having)|(?:didn't|doesn't|does not|did not) (?:help|work|fix|solve)|not (?:resolved|fixed|solved)|never mind|forget it|i'll go elsewhere|give up|useless|that's not what i (?:asked|wanted|need))\b/i;
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

export function assessTask(t: Transcript): TaskStatus {
  const signals: string[] = [];
  const issues: Issue[] = [];
  const n = t.segments.length;
  let lastSuccess = -1;
  let lastFailure = -1;
  const evidenceAt = (seg: number, re: RegExp) => {
    const s = firstSentenceMatching(t, seg, re);
    return s ? [sentenceEvidence(t, s)] : [];
  };

  for (let i = 0; i < n; i++) {
    const seg = t.segments[i];
    const text = seg.text;
    if (isUserTurn(t, i)) {
      if (FRUSTRATION.test(text) || STUCK.test(text)) {
        issues.push({ type: 'frustration', description: `User expressed frustration: ${quote(text)}`, evidence: evidenceAt(i, FRUSTRATION.test(text) ? FRUSTRATION : STUCK) });
      }
      continue;
    }
    if (seg.role === 'tool' ? ERROR_TEXT.test(text) : /\b(?:error|something went wrong|internal server|exception)\b/i.test(text)) {
      issues.push({ type: 'error', description: `${seg.role === 'tool' ? 'A tool call' : 'The assistant'} reported an error: ${quote(text)}`, evidence: evidenceAt(i, ERROR_TEXT) });
    }
    if (SUCCESS.test(text)) lastSuccess = i;
    if (OUTCOME_FAILURE.test(text)) {
      lastFailure = i;
      issues.push({ type: 'unresolved_request', description: `The assistant could not complete a request: ${quote(text)}`, evidence: evidenceAt(i, OUTCOME_FAILURE) });
    }
  }

  const userTurns = t.segments.map((_, i) => i).filter((i) => isUserTurn(t, i));
  const lastUser = userTurns[userTurns.length - 1];
  const endsWithUnansweredQuestion = lastUser === n - 1 && /\?\s*$/.test(t.segments[lastUser].text.trim()) && n > 1;
  const tail = userTurns.slice(-2);
  const stuckAtEnd = tail.some((i) => STUCK.test(t.segments[i].text));
  const contentClosing = tail.some((i) => CONTENT_CLOSING.test(t.segments[i].text)) && !stuckAtEnd;
  // A failure that was followed by a success (another time, another hotel) was resolved.
  const failureStands = lastFailure >= 0 && lastFailure > lastSuccess;

  if (lastSuccess >= 0) signals.push('success confirmed by the assistant (booking, reference or confirmation)');
  if (contentClosing) signals.push('user closed contentedly (thanks / that is all)');
  if (failureStands) signals.push('the last attempted action failed');
  if (stuckAtEnd) signals.push('user still had a problem at the end');
  if (endsWithUnansweredQuestion) {
    signals.push('the last user question was not answered');
    issues.push({ type: 'unresolved_request', description: `The last question went unanswered: ${quote(t.segments[lastUser].text)}`, evidence: evidenceAt(lastUser, /\?/) });
  }

  let taskCompleted: boolean | null = null;
  if (stuckAtEnd || endsWithUnansweredQuestion) taskCompleted = false;
  // Something succeeded but the last attempt did not: partly done, which a boolean cannot say.
  else if (failureStands) taskCompleted = lastSuccess >= 0 ? null : false;
  else if (lastSuccess >= 0 || contentClosing) taskCompleted = true;
  return { taskCompleted, taskSignals: signals, issues: issues.slice(0, 10) };
}
