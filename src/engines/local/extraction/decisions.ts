// From scored sentences to decisions: what was settled, in its final state. A later statement on
// the same subject replaces an earlier one (a reversal keeps only the last state, with the earlier
// evidence), and anything parked or left open is not a decision.
import type { PointDetail } from '../../schemas.js';
import { capitalise, cleanText, truncateWords } from '../text.js';
import { sentenceEvidence, type Sentence, type Transcript } from '../transcript.js';
import type { Scored } from './items.js';
import { overlap } from './wording.js';
import { withoutOpinion } from '../rewrite.js';
import { bareFraming } from './features.js';

/** Parked or open: "let's park that", "we'll revisit", "not decided yet", "leave it open". */
export const PARKED =
  /\b(?:park(?:ed)?|put (?:it|that|this) on hold|table (?:it|that|this)|revisit|come back to (?:it|that|this)|leave (?:it|that|this) open|(?:not|haven't|hasn't been|isn't|wasn't) (?:yet )?(?:decided|settled|agreed)|undecided|still open|open question|to be decided|tbd|sleep on it|think about it (?:more|some more)|decide (?:later|next time|another time)|(?:not|no need to|don't have to|won't) decide|(?:is|are|stays?|remains?) open(?: for now)?|on the back burner|parking lot)\b/i;

/** Explicit markers that the group settled something. */
export const SETTLED =
  /\b(?:decision(?: is)?:|(?:the|our|final) decision (?:is|was)|let's go with|we'll go with|we're going with|going with|(?:so )?(?:it's|that's|we're) (?:decided|settled|agreed)|(?:let's )?call (?:it|that) decided|we (?:have )?(?:decided|agreed)|agreed[.!]?$|done deal)\b/i;

/** "Decision: the release moves to Monday": a sentence that announces a decision; it assigns no task. */
export const ANNOUNCES_DECISION = /^\s*(?:(?:so|okay|ok|and|alright|right)[,\s]+)*(?:decision|decided|agreed|resolution|resolved)\s*[:,;\-–—]/i;

/** An earlier decision being recalled, not taken in this conversation. */
const RECALLED = /\b(?:decided|agreed) (?:last|previously|earlier|before|back)\b|\bhad (?:already )?(?:decided|agreed)\b/i;

const REVERSAL = /\b(?:actually|instead|scratch that|on second thought|change of plan|changed our minds?|let's not|no wait|rather than)\b/i;

/** Words that introduce a decision and carry none of its content. */
const LEAD = /^(?:(?:so|okay|ok|alright|right|well|and|then|yeah|yes|good|great|fine|perfect)[,.!]?\s+)*(?:(?:after|following|in the end|at the end|finally|ultimately|for now|all in all)\b[^,]{0,40},\s+(?=(?:we|it's|the decision|our decision|decision|let's)\b))?(?:(?:the |our |final )?decision(?: is| was)?[:,]?\s+|we(?:'ve| have)? (?:all )?(?:decided|agreed)(?: that| to| on)?\s+|it's (?:decided|agreed)(?: that)?\s+|let's go with\s+(?=\S))?/i;

/** How a chair puts a question to a vote, before what is voted on. */
const MOTION = /^(?:[^,]{0,40},\s*)?(?:(?:then|so|okay|ok|and|now|alright|well)\s+)?(?:(?:(?:i'll|i will|i'd|i would|we'll|we will)\s+(?:now\s+)?(?:like to\s+)?entertain|(?:do|can) (?:i|we) (?:have|get|hear)|i(?:'d| would)? (?:like to )?(?:make|move|propose)) (?:a |the )?motion (?:to|that)\s+(?:we\s+)?|i (?:move|propose) that (?:we\s+)?)/i;

/** Words a speaker trails off on ("some sort of menu-based thing, or"): cut from the wording. */
const TRAILING = /(?:[,;]?\s+(?:or|and|but|so|because|like|um|uh))+\s*[-–—…]*$/i;

/** The frame of a proposal put as a question ("Are we aligned on making an offer?" → "making an offer"). */
const QUESTION_FRAME = /^(?:(?:so|okay|ok|and|then|right)[,\s]+)*(?:are we (?:all )?(?:aligned|agreed|okay|ok|good|happy|fine) (?:on|with)|do we (?:all )?agree (?:on|to|that)|does everyone agree (?:on|to|that)|is everyone (?:okay|ok|fine|happy) with|(?:should|shall|can) we(?: just)?|do we want to|are we going (?:to|with)|we're going with|how about|what about)\s+/i;

export function decisionWording(raw: string): string {
  const asked = /\?\s*$/.test(raw.trim());
  // Emoji and an opening "Done!" acknowledge; they are not what was settled.
  let text = cleanText(raw.replace(/\p{Extended_Pictographic}\uFE0F?/gu, '').replace(/^\s*(?:done|all set|there you go)\s*[.!,]?\s+(?=\S)/i, ''))
    .replace(/[.!?]+$/, '')
    .replace(TRAILING, '');
  // An accepted question is a proposal: its frame goes ("Should we go with red?" → "Go with red").
  if (asked) text = capitalise(text.replace(QUESTION_FRAME, ''));
  // What was settled, not who thought it: "I think", a filler "yeah" or "well" between commas go.
  text = capitalise(withoutOpinion(text).replace(/(\b\w+)?,\s*(?:yeah|yes|well|um|uh|you know|I mean)\s*,\s*/gi, (_m, before?: string) => (before ? (/^(?:a|an|the|of|to|for|with|on|in|at|by|our|your|their|my)$/i.test(before) ? `${before} ` : `${before}, `) : ', ')).replace(/\s{2,}/g, ' ').trim());
  // A chair's motion is what the meeting settled: "I'll entertain a motion to approve the minutes" → "Approve the minutes".
  const motion = text.match(MOTION);
  if (motion && motion[0].length < text.length - 8) text = capitalise(text.slice(motion[0].length));
  const lead = text.match(LEAD);
  if (lead && lead[0].length < text.length - 8) {
    const went = /let's go with\s+$/i.test(lead[0]);
    text = (went ? 'Go with ' : '') + text.slice(lead[0].length);
  }
  return capitalise(truncateWords(text, 22));
}

const PROXIMITY = 3;

interface Draft {
  text: string;
  p: number;
  sentences: Sentence[];
  last: number;
  explicit: boolean;
}

const ACCEPT = /^\s*(?:yes|yeah|yep|sure|ok|okay|agreed|absolutely|definitely|sounds good|perfect|great|fine|deal|works for me|let's do (?:it|that)|makes sense)\b/i;

/** A proposal put as a question ("Thursday the fourteenth then?") that the next speaker accepts. */
function acceptedNext(t: Transcript, s: Sentence): boolean {
  for (let i = s.seg + 1; i < Math.min(t.segments.length, s.seg + 3); i++) if (t.speakerOf[i] !== s.speaker) return ACCEPT.test(t.segments[i].text);
  return false;
}

function parkedSoon(t: Transcript, s: Sentence): boolean {
  for (let i = s.seg + 1; i <= Math.min(t.segments.length - 1, s.seg + 3); i++) {
    const text = t.segments[i].text;
    if (PARKED.test(text) && (overlap(text, s.raw) >= 0.2 || /\b(?:park|table|revisit|leave) (?:it|that|this)\b/i.test(text))) return true;
  }
  return false;
}

export function buildDecisions(t: Transcript, scored: Scored[], threshold: number, limit = 12): PointDetail[] {
  const drafts: Draft[] = [];
  for (const { s, p } of scored) {
    // "Decision, support leads get publish rights" / "So, decision. Kannada first.": said as settled.
    const { announced, consentAfter } = bareFraming(t, s);
    const explicit =
      SETTLED.test(s.raw) ||
      ANNOUNCES_DECISION.test(s.raw) ||
      (announced && s.words >= 3) ||
      (consentAfter && s.words >= 3 && !s.question);
    if ((p < threshold && !explicit) || s.words < 3) continue;
    // A question settles nothing; nor does a proposal parked in the next few turns ("let's park that").
    if ((s.question && !acceptedNext(t, s)) || PARKED.test(s.raw) || RECALLED.test(s.raw)) continue;
    if (!explicit && parkedSoon(t, s)) continue;
    const text = decisionWording(s.raw);
    if (text.split(/\s+/).length < 3) continue;
    // An offer or a question that keeps its question form once reworded ("Would you like Wei Jie
    // to send a quote?") asks; what it leads to is a task, not a decision.
    if (s.question && /^(?:would|do|does|did|can|could|will|is|are|was|were|have|has|may|might)\b/i.test(text)) continue;
    // "Actually, let's go with red instead" replaces the last decision even without shared words.
    const reversal = REVERSAL.test(s.raw) && drafts.length && s.seg - drafts[drafts.length - 1].last <= 20 ? drafts[drafts.length - 1] : undefined;
    // Turns close together settle one thing: the proposal, its acceptance and its restatement.
    // Two explicit decisions in a row are two decisions, not one said twice.
    const same = reversal ?? drafts.find((d) => overlap(d.text, text) >= 0.35 || (Math.abs(s.seg - d.last) <= PROXIMITY && !(explicit && d.explicit)));
    if (same) {
      same.sentences.push(s);
      // Later wording is the final state; an explicit settled marker also wins.
      if (reversal || (s.seg >= same.last && p >= same.p * 0.8)) same.text = text;
      same.last = Math.max(same.last, s.seg);
      same.p = Math.max(same.p, p);
      same.explicit ||= explicit;
      continue;
    }
    drafts.push({ text, p: explicit ? Math.max(p, threshold) : p, sentences: [s], last: s.seg, explicit });
  }
  return drafts
    .sort((a, b) => b.p - a.p || a.last - b.last)
    .slice(0, limit)
    .sort((a, b) => a.sentences[0].seg - b.sentences[0].seg)
    .map((d) => ({ text: d.text, evidence: d.sentences.sort((a, b) => a.id - b.id).map((x) => sentenceEvidence(t, x)) }));
}
