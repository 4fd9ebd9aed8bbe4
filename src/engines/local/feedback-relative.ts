// Coaching that always has something to offer. When no category shows a problem in absolute
// terms, the growth area is the weakest category measured against this conversation's own norm
// (the other participants in it), so a strong communicator still learns where the next step is.
// And a "better phrasing" that repeats the quote teaches nothing, so it is always a rewrite.
import type { CategoryScores } from '../schemas.js';
import type { UserMetrics } from './feedback-metrics.js';
import { languageCounts, type LanguageCounts } from './feedback-scores.js';
import { buildTurns } from './feedback-metrics.js';
import { cleanSentence, truncateWords } from './text.js';
import type { Transcript } from './transcript.js';

type Category = keyof CategoryScores;

interface Norm {
  meanSentenceWords: number;
  questionsPerTurn: number;
  medianTurnWords: number;
  invitationsPerTurn: number;
  hedgesPer100: number;
}

function normOf(t: Transcript, speakers: string[]): Norm {
  const turns = buildTurns(t).filter((x) => speakers.includes(x.speaker));
  const sents = t.sentences.filter((s) => speakers.includes(s.speaker));
  const words = sents.reduce((a, s) => a + s.words, 0);
  const langs: LanguageCounts[] = speakers.map((sp) => languageCounts(t, sp));
  const sum = (f: (l: LanguageCounts) => number) => langs.reduce((a, l) => a + f(l), 0);
  const sizes = turns.map((x) => x.words).sort((a, b) => a - b);
  return {
    meanSentenceWords: sents.length ? words / sents.length : 0,
    questionsPerTurn: turns.length ? sents.filter((s) => s.question).length / turns.length : 0,
    medianTurnWords: sizes.length ? sizes[Math.floor(sizes.length / 2)] : 0,
    invitationsPerTurn: turns.length ? sum((l) => l.invitations) / turns.length : 0,
    hedgesPer100: words ? (sum((l) => l.hedges) * 100) / words : 0,
  };
}

const one = (x: number) => Math.round(x * 10) / 10;

/** A growth-area description comparing the user with the other participants of this conversation. */
export function relativeGrowth(t: Transcript, m: UserMetrics, c: Category): string {
  const others = t.speakers.filter((s) => s !== m.user);
  const me = normOf(t, [m.user]);
  const them = others.length ? normOf(t, others) : null;
  const vs = (mine: string, theirs: string) => (them ? `${mine}, against ${theirs} for the others here` : mine);
  switch (c) {
    case 'clarity':
      return `Compared with this conversation's norm, clarity has the most room: ${vs(`your sentences average ${one(me.meanSentenceWords)} words`, `${one(them?.meanSentenceWords ?? 0)}`)}.`;
    case 'listening':
      return `Compared with this conversation's norm, listening has the most room: ${vs(`${one(me.questionsPerTurn)} questions per turn`, `${one(them?.questionsPerTurn ?? 0)}`)}.`;
    case 'timeManagement':
      return `Compared with this conversation's norm, time management has the most room: ${vs(`your longest turn ran ${m.longestMonologueWords} words`, `a typical turn of ${them?.medianTurnWords ?? 0} words`)}.`;
    case 'collaboration':
      return `Compared with this conversation's norm, collaboration has the most room: ${vs(`${one(me.invitationsPerTurn)} invitations to contribute per turn`, `${one(them?.invitationsPerTurn ?? 0)}`)}.`;
    case 'decisionMaking':
      return `Compared with this conversation's norm, decision-making has the most room: ${vs(`${one(me.hedgesPer100)} hedges per 100 words`, `${one(them?.hedgesPer100 ?? 0)}`)}.`;
  }
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** `alternative` unless it says what the quote already says; then a rewrite that fits the category. */
export function distinctAlternative(alternative: string, quote: string, c: Category | null): string {
  if (alternative && norm(alternative) !== norm(quote) && !norm(quote).includes(norm(alternative))) return alternative;
  const core = truncateWords(cleanSentence(quote).replace(/[.!?]+$/, ''), 18);
  switch (c) {
    case 'clarity':
      return `The short version: ${core}.`;
    case 'listening':
    case 'collaboration':
      return `${core}. What's your view?`;
    case 'timeManagement':
      return `In one line: ${core}. Shall we move on?`;
    case 'decisionMaking':
      return `So we agree: ${core}. Who owns it, and by when?`;
    default:
      return `${core}, and say it again when you wrap up so everyone leaves with it.`;
  }
}
