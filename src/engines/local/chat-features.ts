// Features of a support or assistant chat for the learned sentiment and topic models. Training
// (scripts/train-chat.ts) and inference read chats through these same functions, so a model
// never sees features computed differently from the ones it was fitted on.
import vader from 'vader-sentiment';
import { binaryProbability, type BinaryModel } from './linear-model.js';
import { DOMAINS } from './service-domains.js';
import { words } from './text.js';

export interface ChatTurn {
  role: 'user' | 'assistant' | string;
  text: string;
}

/** Sparse feature vector: feature name → value. */
export type Features = Map<string, number>;

/** How a chat ends weighs most: the last two user turns get their own copy of each word. */
const LAST_USER_TURNS = 2;

const FAILURE = /\b(?:sorry|unfortunately|unable|couldn't|could not|cannot|can't|not available|unavailable|no (?:availability|results|matches)|unsuccessful|fully booked|failed)\b/gi;
const THANKS = /\b(?:thanks?|thank you|appreciate)\b/i;
const DELIGHT = /\b(?:great|wonderful|perfect|awesome|excellent|fantastic|amazing|love|lovely|brilliant|superb|helpful)\b/gi;
const COMPLAINT = /\b(?:seriously|ridiculous|useless|terrible|awful|horrible|waste|annoy(?:ed|ing)|frustrat(?:ed|ing)|angry|unacceptable|not what i|i (?:already )?said|wrong|no,? i (?:said|want|meant))\b|!{2,}|\?{2,}/gi;

function token(w: string): string {
  return /\d/.test(w) ? '<num>' : w.replace(/’/g, "'");
}

export function chatTokens(text: string): string[] {
  return words(text).map(token);
}

function compound(text: string): number {
  return vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

function addWords(f: Features, prefix: string, texts: string[]): void {
  for (const text of texts) {
    const toks = chatTokens(text);
    for (let i = 0; i < toks.length; i++) {
      f.set(`${prefix}${toks[i]}`, 1);
      if (i + 1 < toks.length) f.set(`${prefix}${toks[i]}_${toks[i + 1]}`, 1);
    }
  }
}

/**
 * Two models of how each user turn was rated (the rated dialogues rate every user turn, which gives
 * several times more labelled examples than the dialogue ratings alone): `bad`, the raters' mean
 * below 3, and `good`, above 3.
 */
export interface TurnModels {
  bad: BinaryModel;
  good: BinaryModel;
}

/** The user turns' positions in `turns`. */
function userTurnIndices(turns: ChatTurn[]): number[] {
  return turns.map((t, i) => (t.role === 'user' ? i : -1)).filter((i) => i >= 0);
}

/**
 * Features of each user turn for the turn models: its words and word pairs (`t:`), the words of the
 * assistant turn it answers (`s:`), vader compound, failures in that assistant turn, and where
 * the turn falls in the chat (first, last, relative position) and its length.
 */
export function userTurnFeatures(turns: ChatTurn[]): Features[] {
  const idx = userTurnIndices(turns);
  return idx.map((i, ui) => {
    const f: Features = new Map();
    const toks = chatTokens(turns[i].text);
    toks.forEach((w, j) => {
      f.set(`t:${w}`, 1);
      if (j + 1 < toks.length) f.set(`t:${w}_${toks[j + 1]}`, 1);
    });
    const answered = i > 0 && turns[i - 1].role !== 'user' ? turns[i - 1].text : '';
    for (const w of chatTokens(answered)) f.set(`s:${w}`, 1);
    f.set('#vader', compound(turns[i].text));
    f.set('#failure', Math.log1p(count(answered, FAILURE)));
    f.set('#first', ui === 0 ? 1 : 0);
    f.set('#last', ui === idx.length - 1 ? 1 : 0);
    f.set('#position', idx.length > 1 ? ui / (idx.length - 1) : 0);
    f.set('#length', Math.log1p(toks.length));
    return f;
  });
}

/**
 * The turn models' probabilities over a chat's user turns: highest, lowest, mean, last, mean of the
 * last two, and the share of turns above one half.
 */
export function turnSummary(models: TurnModels, turns: ChatTurn[]): Features {
  const f: Features = new Map();
  const perTurn = userTurnFeatures(turns);
  if (!perTurn.length) return f;
  for (const name of ['bad', 'good'] as const) {
    const p = perTurn.map((x) => binaryProbability(models[name], x));
    f.set(`#turn_${name}_max`, Math.max(...p));
    f.set(`#turn_${name}_min`, Math.min(...p));
    f.set(`#turn_${name}_mean`, p.reduce((a, b) => a + b, 0) / p.length);
    f.set(`#turn_${name}_last`, p[p.length - 1]);
    // The share of user turns the model calls bad (good), and its mean over the last two turns.
    f.set(`#turn_${name}_share`, p.filter((x) => x > 0.5).length / p.length);
    f.set(`#turn_${name}_last2`, p.slice(-2).reduce((a, b) => a + b, 0) / Math.min(2, p.length));
  }
  return f;
}

/**
 * Sentiment features: words and word pairs of the user's turns (`u:`), of the last user turns
 * (`l:`) and of the first (`f:`), plus dense cues — vader compound of the last user
 * turns and the lowest user turn, thanks, delight and complaint cues, and assistant failures —
 * and, given the turn models, their summary over the user's turns (`turnSummary`).
 */
export function sentimentFeatures(turns: ChatTurn[], turnModels?: TurnModels): Features {
  const f: Features = new Map();
  const user = turns.filter((t) => t.role === 'user').map((t) => t.text);
  const assistant = turns.filter((t) => t.role !== 'user').map((t) => t.text);
  const last = user.slice(-LAST_USER_TURNS);
  // The assistant's words are left out: with them the model learned which services the dialogues
  // were about rather than how the user felt (cross-validated macro-F1 fell by about 1 point).
  addWords(f, 'u:', user);
  addWords(f, 'l:', last);
  // The opening request kept apart from the rest (cross-validated macro-F1 +0.6 on its own).
  addWords(f, 'f:', user.slice(0, 1));
  const scores = user.map(compound);
  const lastScores = last.map(compound);
  f.set('#vader_last', lastScores.length ? lastScores.reduce((a, b) => a + b, 0) / lastScores.length : 0);
  f.set('#vader_min', scores.length ? Math.min(...scores) : 0);
  f.set('#vader_mean', scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 0);
  f.set('#thanks_last', last.some((t) => THANKS.test(t)) ? 1 : 0);
  f.set('#delight', Math.log1p(user.reduce((a, t) => a + count(t, DELIGHT), 0)));
  f.set('#complaint', Math.log1p(user.reduce((a, t) => a + count(t, COMPLAINT), 0)));
  f.set('#failure', Math.log1p(assistant.reduce((a, t) => a + count(t, FAILURE), 0)));
  f.set('#user_turns', Math.log1p(user.length));
  if (turnModels) for (const [k, v] of turnSummary(turnModels, turns)) f.set(k, v);
  return f;
}

/**
 * Topic features: words of the user's turns (`u:`) and of the assistant's (`a:`), present or not,
 * and for each service-domain lexicon the number of user turns with a strong cue (`#domain:u`),
 * with only a weak cue (`#domain:w`) and of assistant turns with a strong cue (`#domain:a`).
 * The lexicon counts carry most of the signal; words let training calibrate them.
 */
export function topicFeatures(turns: ChatTurn[]): Features {
  const f: Features = new Map();
  const add = (k: string) => f.set(k, (f.get(k) ?? 0) + 1);
  for (const t of turns) {
    const user = t.role === 'user';
    for (const w of chatTokens(t.text)) f.set((user ? 'u:' : 'a:') + w, 1);
    for (const d of DOMAINS) {
      if (d.strong.test(t.text)) add(`#${d.name}:${user ? 'u' : 'a'}`);
      else if (user && d.weak?.test(t.text)) add(`#${d.name}:w`);
    }
  }
  for (const [k, v] of f) if (k.startsWith('#')) f.set(k, Math.log1p(v));
  return f;
}
