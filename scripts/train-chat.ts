// Fits the chat sentiment and topic models of the local engine (src/engines/local/chat-model.ts).
//   npm run train:chat [-- --data DIR] [--dev DIR] [--out FILE] [--dry-run]
// DIR holds MWOZ.txt and SGD.txt from the `dataset/` folder of
// github.com/sunnweiwei/user-satisfaction-simulation (default: $USS_DATA_DIR or ../uss/dataset
// beside the repository). The 30 dialogues of ../shared/data/support.dev.json are recognised by
// their text and left out of training, so dev figures measure unseen dialogues.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sentimentFeatures, topicFeatures, userTurnFeatures, type ChatTurn, type Features, type TurnModels } from '../src/engines/local/chat-features.js';
import { binaryProbability, regressionLabel, regressionScore, type BinaryModel, type RegressionModel } from '../src/engines/local/linear-model.js';
import { loadDevChats, loadUss, type LabelledChat } from './train/data.js';
import { fitBinary, fitRidge, folds, seededRandom, type Example, type FitOptions, type RidgeOptions } from './train/linear.js';
import { crossErrors, macroF1, microF1, perClass, sampledMacroF1, tuneThresholds } from './train/metrics.js';

const SEED = 20210711;
const FOLDS = 5;
const SENTIMENTS: [string, string, string] = ['negative', 'neutral', 'positive'];
/** Only MultiWOZ dialogues carry domain labels; these are its domains. */
export const MWOZ_DOMAINS = ['attraction', 'hospital', 'hotel', 'police', 'restaurant', 'taxi', 'train'];
/**
 * The dialogue model is a ridge regression of the mean OVERALL rating, read as a label through two
 * tuned thresholds: the rating orders the dialogues (a 3.4 is nearly positive, a 2.7 nearly
 * negative), which a three-class model trained on the labels alone cannot see.
 */
const SENTIMENT_FIT: RidgeOptions = { l2: Number(process.env.SENTIMENT_L2 ?? 1), epochs: 150, learningRate: 0.02, minDf: 5 };
const TURN_FIT: FitOptions = { l2: 0.01, epochs: 60, learningRate: 0.05, minDf: 5, maxFeatures: 400, balanced: true };
/** A user turn whose raters' mean is below this is `bad`, above it `good`. */
const TURN_MIDDLE = 3;
const TOPIC_FIT: FitOptions = { l2: 0.01, epochs: 150, learningRate: 0.1, minDf: 10, maxFeatures: 60, balanced: false };
/** Domains with fewer training dialogues keep their lexicon rule (hospital and police have a handful). */
const MIN_TOPIC_POSITIVES = 30;
/** At most this share of the non-neutral dialogues may be called the opposite polarity. */
const MAX_CROSS = 0.03;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function args() {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(name);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return {
    data: resolve(get('--data') ?? process.env.USS_DATA_DIR ?? resolve(root, '../uss/dataset')),
    dev: resolve(get('--dev') ?? resolve(root, '../shared/data')),
    out: resolve(get('--out') ?? resolve(root, 'src/engines/local/chat-model.ts')),
    dryRun: a.includes('--dry-run'),
  };
}

const sentimentIndex = (c: LabelledChat) => SENTIMENTS.indexOf(c.sentiment!);
const topicExample = (turns: ChatTurn[], topics: string[], domain: string): Example => ({ features: topicFeatures(turns), y: topics.includes(domain) ? 1 : 0 });

function turnExamples(chats: LabelledChat[], name: keyof TurnModels): Example[] {
  return chats.flatMap((c) =>
    userTurnFeatures(c.turns).flatMap((features, j) => {
      const r = c.turnRatings?.[j];
      if (r === undefined || !Number.isFinite(r)) return [];
      return [{ features, y: (name === 'bad' ? r < TURN_MIDDLE : r > TURN_MIDDLE) ? 1 : 0 }];
    }),
  );
}

function fitTurnModels(chats: LabelledChat[]): TurnModels {
  return { bad: fitBinary(turnExamples(chats, 'bad'), TURN_FIT), good: fitBinary(turnExamples(chats, 'good'), TURN_FIT) };
}

/**
 * Sentiment examples (target: the mean OVERALL rating) whose turn-model summaries come from turn
 * models that never saw the chat, so the dialogue model learns how far to trust turn predictions on
 * chats it has not read (stacking; in-sample turn predictions would look better than they are).
 */
function stackedExamples(chats: LabelledChat[], seed: number): Array<{ features: Features; y: number }> {
  const fold = folds(chats.map(sentimentIndex), FOLDS, seed);
  const out: Array<{ features: Features; y: number }> = new Array(chats.length);
  for (let k = 0; k < FOLDS; k++) {
    const turnModels = fitTurnModels(chats.filter((_, i) => fold[i] !== k));
    chats.forEach((c, i) => {
      if (fold[i] === k) out[i] = { features: sentimentFeatures(c.turns, turnModels), y: c.rating! };
    });
  }
  return out;
}

interface SentimentModels {
  model: RegressionModel;
  turns: TurnModels;
}

function predictSentiment(m: SentimentModels, c: LabelledChat): string {
  return regressionLabel(m.model, regressionScore(m.model, sentimentFeatures(c.turns, m.turns)));
}

function correlation(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let c = 0, vx = 0, vy = 0;
  xs.forEach((x, i) => {
    c += (x - mx) * (ys[i] - my);
    vx += (x - mx) ** 2;
    vy += (ys[i] - my) ** 2;
  });
  return c / Math.sqrt(vx * vy || 1);
}

function sentimentReport(name: string, m: SentimentModels, chats: LabelledChat[]): string {
  const pairs = chats.map((c) => [c.sentiment!, predictSentiment(m, c)] as [string, string]);
  return `${name.padEnd(26)} macro-F1 ${(macroF1(pairs) * 100).toFixed(1).padStart(5)}  cross ${crossErrors(pairs)}  n=${pairs.length}`;
}

function topicPredict(models: Record<string, BinaryModel>, turns: ChatTurn[]): string[] {
  const f = topicFeatures(turns);
  return Object.entries(models).filter(([, m]) => binaryProbability(m, f) >= m.threshold).map(([d]) => d);
}

function topicReport(name: string, models: Record<string, BinaryModel>, chats: LabelledChat[]): string {
  const pairs = chats.map((c) => [c.topics!, topicPredict(models, c.turns)] as [string[], string[]]);
  return `${name.padEnd(26)} micro-F1 ${(microF1(pairs) * 100).toFixed(1).padStart(5)}  n=${pairs.length}`;
}

function trainSentiment(train: LabelledChat[], log: string[]): SentimentModels {
  const ys = train.map(sentimentIndex);
  const gold = train.map((c) => c.sentiment!);
  const fold = folds(ys, FOLDS, SEED);
  // Out-of-fold predicted ratings: the thresholds are tuned on predictions for dialogues the models
  // did not see (turn models included: each fold's dialogue model is stacked on its own inner folds).
  const oof: number[] = new Array(train.length);
  for (let k = 0; k < FOLDS; k++) {
    const part = train.filter((_, i) => fold[i] !== k);
    const turns = fitTurnModels(part);
    const m = fitRidge(stackedExamples(part, SEED + 1 + k), SENTIMENTS, SENTIMENT_FIT);
    train.forEach((c, i) => {
      if (fold[i] === k) oof[i] = regressionScore(m, sentimentFeatures(c.turns, turns));
    });
  }
  const model = fitRidge(stackedExamples(train, SEED), SENTIMENTS, SENTIMENT_FIT);
  model.thresholds = tuneThresholds(oof, gold, SENTIMENTS, MAX_CROSS, seededRandom(SEED));
  const trained = { model, turns: fitTurnModels(train) };
  const cvPairs = oof.map((x, i) => [gold[i], regressionLabel(model, x)] as [string, string]);
  log.push(sentimentReport('sentiment train', trained, train));
  log.push(`${'sentiment 5-fold CV'.padEnd(26)} macro-F1 ${(macroF1(cvPairs) * 100).toFixed(1).padStart(5)}  cross ${crossErrors(cvPairs)}  n=${cvPairs.length}  ${perClass(cvPairs)}`);
  log.push(`${'sentiment CV, sets of 30'.padEnd(26)} macro-F1 ${(sampledMacroF1(cvPairs, seededRandom(SEED + 1)) * 100).toFixed(1).padStart(5)}  (mean over 300 random sets)`);
  log.push(`${'sentiment CV rating'.padEnd(26)} r ${correlation(oof, train.map((c) => c.rating!)).toFixed(3)} with the mean OVERALL rating; thresholds ${model.thresholds.join(' / ')}`);
  return trained;
}

function trainTopics(train: LabelledChat[], log: string[]): Record<string, BinaryModel> {
  const labelled = train.filter((c) => c.topics);
  const fold = folds(labelled.map(() => 0), FOLDS, SEED);
  const models: Record<string, BinaryModel> = {};
  const oofPred: string[][] = labelled.map(() => []);
  for (const domain of MWOZ_DOMAINS) {
    const data = labelled.map((c) => topicExample(c.turns, c.topics!, domain));
    if (data.filter((e) => e.y).length < MIN_TOPIC_POSITIVES) continue;
    const oof: number[] = new Array(data.length);
    for (let k = 0; k < FOLDS; k++) {
      const m = fitBinary(data.filter((_, i) => fold[i] !== k), TOPIC_FIT);
      data.forEach((e, i) => {
        if (fold[i] === k) oof[i] = binaryProbability(m, e.features);
      });
    }
    // The threshold with the best out-of-fold F1 for this domain.
    let best = { t: 0.5, f: -1 };
    for (let t = 0.1; t <= 0.9001; t += 0.05) {
      let tp = 0, fp = 0, fn = 0;
      oof.forEach((p, i) => (p >= t ? (data[i].y ? tp++ : fp++) : data[i].y ? fn++ : 0));
      const f = (2 * tp) / Math.max(1, 2 * tp + fp + fn);
      if (f > best.f + 1e-9) best = { t: Math.round(t * 100) / 100, f };
    }
    oof.forEach((p, i) => p >= best.t && oofPred[i].push(domain));
    models[domain] = { ...fitBinary(data, TOPIC_FIT), threshold: best.t };
  }
  log.push(topicReport('topics train', models, labelled));
  log.push(`${'topics 5-fold CV'.padEnd(26)} micro-F1 ${(microF1(labelled.map((c, i) => [c.topics!, oofPred[i]])) * 100).toFixed(1).padStart(5)}  n=${labelled.length}`);
  return models;
}

function sourceCommit(dir: string): string {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return process.env.USS_COMMIT ?? '8ba06bd92570fd94d3ec0cb828aad45172be71b2';
  }
}

function render(sentiment: SentimentModels, topics: Record<string, BinaryModel>, figures: string[], commit: string, n: number): string {
  return `// Generated by \`npm run train:chat\` (scripts/train-chat.ts); do not edit by hand.
// Data: USS, User Satisfaction Simulation (Sun et al., SIGIR 2021), github.com/sunnweiwei/
// user-satisfaction-simulation@${commit}, dataset/MWOZ.txt and dataset/SGD.txt:
// ${n} dialogues, the 30 of support.dev.json left out. Sentiment from the OVERALL ratings (mean < 2.5
// negative, > 3.5 positive, else neutral); topics from the MultiWOZ dialogue-act domains.
// Licences: the USS repository has no licence file (annotations, research use); MultiWOZ text MIT;
// SGD text CC BY-SA 4.0. Only learned weights are stored here, no dialogue text.
// Settings: seed ${SEED}, ${FOLDS}-fold CV; sentiment ${JSON.stringify(SENTIMENT_FIT)}, max cross-polarity ${MAX_CROSS};
// sentiment is a ridge regression of the mean OVERALL rating with thresholds tuned for macro-F1 on sets of 30;
// turn models (user turns rated below / above ${TURN_MIDDLE}) ${JSON.stringify(TURN_FIT)}, stacked on ${FOLDS} inner folds;
// topics ${JSON.stringify(TOPIC_FIT)}.
${figures.map((l) => `//   ${l}`).join('\n')}
import type { TurnModels } from './chat-features.js';
import type { BinaryModel, RegressionModel } from './linear-model.js';

export const SENTIMENT_MODEL: RegressionModel = ${JSON.stringify(sentiment.model)};

export const TURN_MODELS: TurnModels = ${JSON.stringify(sentiment.turns)};

export const TOPIC_MODELS: Record<string, BinaryModel> = ${JSON.stringify(topics)};
`;
}

function main(): void {
  const a = args();
  if (!existsSync(join(a.data, 'MWOZ.txt'))) {
    console.error(`No MWOZ.txt in ${a.data}. Clone github.com/sunnweiwei/user-satisfaction-simulation and pass --data <clone>/dataset.`);
    process.exit(2);
  }
  const dev = loadDevChats(a.dev);
  const all = loadUss(a.data);
  const devTexts = new Set(dev.support.map((c) => c.key));
  const train = all.filter((c) => !devTexts.has(c.key));
  const log: string[] = [`training dialogues: ${train.length} (left out as dev: ${all.length - train.length})`];
  const sentiment = trainSentiment(train, log);
  log.push(sentimentReport('sentiment dev (USS)', sentiment, dev.support));
  if (dev.business.length) log.push(sentimentReport('sentiment dev (business)', sentiment, dev.business));
  const topics = trainTopics(train, log);
  log.push(topicReport('topics dev (USS MultiWOZ)', topics, dev.support.filter((c) => c.topics)));
  for (const l of log) console.log(l);
  if (!a.dryRun) {
    writeFileSync(a.out, render(sentiment, topics, log, sourceCommit(resolve(a.data, '..')), train.length));
    console.log(`wrote ${a.out} (${(readFileSync(a.out).length / 1024).toFixed(0)} KB)`);
  }
}

main();
