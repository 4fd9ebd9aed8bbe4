// Coaching feedback for one speaker: scores from measured behaviour, strengths and growth areas
// illustrated with the speaker's own words, one top priority with a better phrasing, and a plan.
import { AppError } from '../../domain/errors.js';
import type { CategoryScores, Evidence, Feedback, GrowthArea, Strength, TopPriority } from '../schemas.js';
import { MIN_FEEDBACK_SEGMENTS } from '../types.js';
import { computeMetrics, monologueSecondsForScoring, pickUser, publicMetrics, type UserMetrics } from './feedback-metrics.js';
import {
  ACKNOWLEDGE, DECISIVE, FORMULA_VERSION, HEDGES, INVITATION, STRUCTURE, TIME_AWARE, categoryScores, languageCounts, overallScore, type LanguageCounts,
} from './feedback-scores.js';
import { distinctAlternative, relativeGrowth } from './feedback-relative.js';
import { cleanSentence, fillerCount, truncateWords } from './text.js';
import { segmentClock, type Sentence, type Transcript } from './transcript.js';

type Category = keyof CategoryScores;
/** Decisive statements that settle something, as opposed to "let's start". */
const FIRM = /\b(?:go with|decided|agreed|decision|we'll|we will|i'll|i will|deadline|by (?:monday|tuesday|wednesday|thursday|friday))\b/i;
const CATEGORIES: Category[] = ['clarity', 'listening', 'timeManagement', 'collaboration', 'decisionMaking'];
const CATEGORY_LABEL: Record<Category, string> = {
  clarity: 'clarity',
  listening: 'listening',
  timeManagement: 'time management',
  collaboration: 'collaboration',
  decisionMaking: 'decision-making',
};

/** Categories with a measured problem worth coaching; a low score alone is not enough. */
function observedProblems(m: UserMetrics, lang: LanguageCounts, speakerCount: number): Set<Category> {
  const out = new Set<Category>();
  const dominance = m.talkTimeShare - 1 / Math.max(1, speakerCount);
  if (m.fillerRate >= 3 || lang.meanSentenceWords > 25) out.add('clarity');
  if (m.interruptions > 0 || dominance > 0.15) out.add('listening');
  if (monologueSecondsForScoring(m) > 90 || dominance > 0.25) out.add('timeManagement');
  if ((lang.invitations === 0 && m.questionsAsked === 0) || dominance > 0.25) out.add('collaboration');
  if (lang.hedges > 0 || lang.decisive === 0) out.add('decisionMaking');
  return out;
}

interface Example {
  sentence: Sentence;
  quote: string;
}

function quoteOf(s: Sentence): string {
  const raw = s.raw.trim();
  if (raw.length <= 220) return raw;
  const cut = raw.lastIndexOf(' ', 220);
  return raw.slice(0, cut > 80 ? cut : 220);
}

function best(sents: Sentence[], score: (s: Sentence) => number): Example | null {
  let top: Sentence | null = null;
  let v = 0;
  for (const s of sents) {
    const x = score(s);
    if (x > v) {
      v = x;
      top = s;
    }
  }
  return top ? { sentence: top, quote: quoteOf(top) } : null;
}

const firstSentenceOfSeg = (t: Transcript, seg: number): Sentence | undefined => t.sentences[t.segSentences[seg]?.[0] ?? -1];

function strengthExample(mine: Sentence[], c: Category): Example | null {
  const sized = (s: Sentence) => (s.words >= 6 && s.words <= 30 ? 1 : s.words > 30 ? 0.3 : 0);
  switch (c) {
    case 'clarity':
      return best(mine, (s) => (fillerCount(s.raw) === 0 && !s.question ? sized(s) * (1 + s.stems.length / 10) : 0));
    case 'listening':
      return best(mine, (s) => (s.question ? 2 : ACKNOWLEDGE.test(s.raw) ? 1 : 0) * sized(s));
    case 'timeManagement':
      return best(mine, (s) => (TIME_AWARE.test(s.raw) ? 2 : STRUCTURE.test(s.raw) ? 1 : 0) * sized(s));
    case 'collaboration':
      return best(mine, (s) => (INVITATION.test(s.raw) ? 2 : ACKNOWLEDGE.test(s.raw) ? 1.5 : /\b(?:we|us|our|let's)\b/i.test(s.raw) ? 1 : 0) * sized(s));
    case 'decisionMaking':
      return best(mine, (s) => (DECISIVE.test(s.raw) && !(s.raw.match(HEDGES) ?? []).length ? (FIRM.test(s.raw) ? 2 : 1) + s.stems.length / 10 : 0) * sized(s));
  }
}

function growthExample(t: Transcript, m: UserMetrics, mine: Sentence[], c: Category): Example | null {
  const monologue = m.longestMonologue ? firstSentenceOfSeg(t, m.longestMonologue.segs[0]) : undefined;
  switch (c) {
    case 'clarity':
      return best(mine, (s) => (s.words >= 6 ? fillerCount(s.raw) / s.words + (s.words > 40 ? 0.05 : 0) : 0));
    case 'listening': {
      const seg = m.interruptionSegs[0];
      const s = seg !== undefined ? firstSentenceOfSeg(t, seg) : monologue;
      return s ? { sentence: s, quote: quoteOf(s) } : null;
    }
    case 'timeManagement':
    case 'collaboration':
      return monologue ? { sentence: monologue, quote: quoteOf(monologue) } : best(mine, (s) => s.words);
    case 'decisionMaking':
      return best(mine, (s) => (s.raw.match(HEDGES) ?? []).length * (s.words >= 6 ? 1 : 0));
  }
}

function strengthText(c: Category, m: UserMetrics, lang: LanguageCounts): string {
  switch (c) {
    case 'clarity':
      return `Clear, direct phrasing: ${m.fillerRate} filler words per 100 words and sentences averaging ${Math.round(lang.meanSentenceWords)} words.`;
    case 'listening':
      return m.kind === 'chat'
        ? `Made room for the other side: ${m.questionsAsked} question${m.questionsAsked === 1 ? '' : 's'} asked.`
        : `Made room for others: ${m.questionsAsked} question${m.questionsAsked === 1 ? '' : 's'} asked and ${m.interruptions} interruption${m.interruptions === 1 ? '' : 's'}.`;
    case 'timeManagement':
      return m.longestMonologueSeconds !== null
        ? `Kept contributions focused; the longest uninterrupted stretch was about ${m.longestMonologueSeconds} seconds.`
        : `Kept contributions focused; the longest ${m.kind === 'chat' ? 'turn' : 'uninterrupted stretch'} was ${m.longestMonologueWords} words.`;
    case 'collaboration':
      return `Brought others in with inclusive language and ${lang.invitations} explicit invitation${lang.invitations === 1 ? '' : 's'} to contribute.`;
    case 'decisionMaking':
      return `Moved the discussion toward outcomes with ${lang.decisive} clear commitment${lang.decisive === 1 ? '' : 's'} or decision${lang.decisive === 1 ? '' : 's'}.`;
  }
}

function growthText(c: Category, m: UserMetrics, lang: LanguageCounts, share: string): { description: string; suggestion: string; focus: string } {
  switch (c) {
    case 'clarity': {
      const long = lang.meanSentenceWords > 25;
      const fillers = m.fillerRate >= 3;
      const what = [fillers ? `${m.fillerRate} filler words per 100 words` : '', long ? `sentences averaging ${Math.round(lang.meanSentenceWords)} words` : ''].filter(Boolean).join(' and ');
      return {
        description: `${what ? what[0].toUpperCase() + what.slice(1) : 'Loose phrasing'} made key points harder to follow.`,
        suggestion: 'Pause silently instead of saying "um" or "you know", and lead with the conclusion before the detail.',
        focus: fillers ? 'Lead with the point and drop the fillers' : 'Shorter sentences, one idea each',
      };
    }
    case 'listening':
      return m.interruptions
        ? {
            description: `Started speaking before others had finished ${m.interruptions} time${m.interruptions === 1 ? '' : 's'}.`,
            suggestion: 'Let the other person finish, then pause for two seconds before responding.',
            focus: 'Let others finish before responding',
          }
        : {
            description: `${m.kind === 'chat' ? 'Wrote' : 'Held'} ${share} of the ${m.kind === 'chat' ? 'words' : 'talk time'}, leaving less room for other views.`,
            suggestion: 'Ask an open question after each point and wait for the answer.',
            focus: 'Ask more, tell less',
          };
    case 'timeManagement':
      return {
        description:
          m.longestMonologueSeconds !== null
            ? `The longest uninterrupted stretch ran about ${m.longestMonologueSeconds} seconds (${m.longestMonologueWords} words).`
            : `The longest ${m.kind === 'chat' ? 'turn' : 'uninterrupted stretch'} ran ${m.longestMonologueWords} words.`,
        suggestion: 'Break long explanations into two-minute chunks and check in with the group between them.',
        focus: 'Break up long monologues',
      };
    case 'collaboration':
      return {
        description: `Few invitations for others to contribute (${lang.invitations}) and ${m.questionsAsked} question${m.questionsAsked === 1 ? '' : 's'} asked.`,
        suggestion: 'Close each point with a direct invitation such as "What would you change?"',
        focus: 'Invite others into the discussion',
      };
    case 'decisionMaking':
      return {
        description: `Hedged language (${lang.hedges} hedges such as "maybe" or "I guess") and few explicit decisions or next steps.`,
        suggestion: 'End each topic by stating the decision, the owner and the date out loud.',
        focus: 'State decisions and next steps plainly',
      };
  }
}

function alternativeFor(c: Category, ex: Example, t: Transcript, m: UserMetrics): string {
  const cleaned = cleanSentence(ex.sentence.raw);
  switch (c) {
    case 'clarity':
      return truncateWords(cleaned, 25);
    case 'listening': {
      // Only an actual interruption calls for letting someone finish.
      if (!m.interruptionSegs.includes(ex.sentence.seg)) return `${truncateWords(cleaned, 18)} What do you think?`;
      const prev = t.speakerOf[ex.sentence.seg - 1];
      const who = prev && prev !== ex.sentence.speaker ? `, ${prev}` : '';
      return `Sorry${who}, please finish your thought. ${truncateWords(cleaned, 18)}`;
    }
    case 'timeManagement':
    case 'collaboration':
      return `${truncateWords(cleaned, 20)} What's your take so far?`;
    case 'decisionMaking': {
      const firm = cleanSentence(ex.sentence.raw.replace(HEDGES, '').replace(/\bi think\b/gi, ''));
      return truncateWords(firm || cleaned, 25);
    }
  }
}

function evidenceOf(t: Transcript, ex: Example): Evidence[] {
  return [{ segmentIndex: t.segments[ex.sentence.seg].index, quote: ex.quote }];
}

export function buildFeedback(t: Transcript, opts: { userSpeakerName?: string }): Feedback & { userSpeakerName: string } {
  if (t.segments.length < MIN_FEEDBACK_SEGMENTS) {
    throw new AppError('validation_error', 'Feedback needs at least 10 transcript segments', {
      details: { segments: `has ${t.segments.length}, needs at least ${MIN_FEEDBACK_SEGMENTS}` },
    });
  }
  const user = pickUser(t, opts.userSpeakerName);
  const m = computeMetrics(t, user);
  const lang = languageCounts(t, user);
  const scores = categoryScores(m, lang, t.speakers.length);
  const mine = t.sentences.filter((s) => s.speaker === user);
  const share = `${Math.round(m.talkTimeShare * 100)}%`;
  const ranked = [...CATEGORIES].sort((a, b) => scores[b] - scores[a] || CATEGORIES.indexOf(a) - CATEGORIES.indexOf(b));

  // Growth areas need both a low score and an observed problem behind it; strengths are the
  // best-scoring remaining categories.
  const problems = observedProblems(m, lang, t.speakers.length);
  const growthAreas: GrowthArea[] = [];
  let top: TopPriority | null = null;
  for (const c of [...ranked].reverse()) {
    if (growthAreas.length >= 3 || scores[c] >= 8.5) break;
    if (!problems.has(c)) continue;
    const ex = growthExample(t, m, mine, c);
    if (!ex) continue;
    const g = growthText(c, m, lang, share);
    growthAreas.push({ category: c, description: g.description, suggestion: g.suggestion, timestamp: segmentClock(t, ex.sentence.seg), quote: ex.quote, evidence: evidenceOf(t, ex) });
    top ??= {
      focus: g.focus,
      quote: ex.quote,
      reason: `${g.description} ${c === 'listening' || c === 'collaboration' ? 'Other voices are what this conversation needs most.' : `At ${scores[c]}/10 this is where a change moves the overall score most.`}`,
      alternative: distinctAlternative(alternativeFor(c, ex, t, m), ex.quote, c),
    };
  }

  // Nothing wrong in absolute terms: the weakest category against this conversation's own norm.
  if (!growthAreas.length) {
    for (const c of [...ranked].reverse()) {
      const ex = growthExample(t, m, mine, c) ?? best(mine, (s) => s.words);
      if (!ex) continue;
      const g = growthText(c, m, lang, share);
      const description = relativeGrowth(t, m, c);
      growthAreas.push({ category: c, description, suggestion: g.suggestion, timestamp: segmentClock(t, ex.sentence.seg), quote: ex.quote, evidence: evidenceOf(t, ex) });
      top = {
        focus: g.focus,
        quote: ex.quote,
        reason: `${description} At ${scores[c]}/10 it is already good; this is where the next step is.`,
        alternative: distinctAlternative(alternativeFor(c, ex, t, m), ex.quote, c),
      };
      break;
    }
  }

  const strengths: Strength[] = [];
  for (const c of ranked) {
    if (strengths.length >= 3 || (strengths.length && scores[c] < 7)) break;
    if (growthAreas.some((g) => g.category === c)) continue;
    const ex = strengthExample(mine, c);
    if (!ex) continue;
    strengths.push({ category: c, description: strengthText(c, m, lang), timestamp: segmentClock(t, ex.sentence.seg), quote: ex.quote, evidence: evidenceOf(t, ex) });
  }
  if (!top) {
    const s = strengths[0];
    top = {
      focus: 'Keep doing what works',
      quote: s?.quote ?? '',
      reason: 'No category scored below 8.5; the strongest habit is worth repeating deliberately.',
      alternative: s?.quote ? distinctAlternative(cleanSentence(s.quote), s.quote, null) : '',
    };
  }

  const actionPlan = [
    ...growthAreas.map((g) => g.suggestion),
    ...(strengths[0] ? [`Keep doing what worked for ${CATEGORY_LABEL[strengths[0].category as Category]}: ${strengths[0].description.replace(/:.*$/, '').replace(/[.]$/, '').toLowerCase()}.`] : []),
  ].slice(0, 4);

  return {
    overallScore: overallScore(scores),
    topPriority: top,
    strengths,
    growthAreas,
    categoryScores: scores,
    talkListenRatio: Math.round(m.talkTimeShare * 100) / 100,
    actionPlan,
    metrics: publicMetrics(m),
    formulaVersion: FORMULA_VERSION,
    userSpeakerName: user,
  };
}
