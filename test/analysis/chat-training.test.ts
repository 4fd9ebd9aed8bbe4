// The chat sentiment training pieces (scripts/train-chat.ts) on small inputs written here: USS
// files are read with each user turn's rating, the ridge regression is deterministic and learns
// which words lower a rating, and the tuned thresholds split the ratings into the three labels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Features } from '../../src/engines/local/chat-features.js';
import { regressionLabel, regressionScore } from '../../src/engines/local/linear-model.js';
import { parseUss } from '../../scripts/train/data.js';
import { fitRidge, seededRandom } from '../../scripts/train/linear.js';
import { tuneThresholds } from '../../scripts/train/metrics.js';

const LABELS: [string, string, string] = ['negative', 'neutral', 'positive'];

test('a USS dialogue is read with its overall rating and each user turn\'s mean rating', () => {
  const text = [
    'USER\tI need a cheap hotel.\tHotel-Inform\t3,3,4',
    'SYSTEM\tSorry, there are none.\tHotel-NoOffer\t',
    'USER\tThat is useless.\t\t1,2,2',
    'USER\tOVERALL\t\t2,2,1',
    '',
    'USER\tA train to Ely please.\tTrain-Inform\t3,3,3',
    'SYSTEM\tTR1234 leaves at ten.\tTrain-Inform\t',
    'USER\tPerfect, thanks!\tgeneral-thank\t4,5,4',
    'USER\tOVERALL\t\t4,4,5',
  ].join('\n');
  const [bad, good] = parseUss(text, true);
  assert.equal(bad.sentiment, 'negative');
  assert.equal(bad.rating, 5 / 3);
  assert.deepEqual(bad.turnRatings, [10 / 3, 5 / 3]);
  assert.deepEqual(bad.turns.map((t) => t.role), ['user', 'assistant', 'user']);
  assert.deepEqual(bad.topics, ['hotel']);
  assert.equal(good.sentiment, 'positive');
  assert.deepEqual(good.turnRatings, [3, 13 / 3]);
});

test('ridge regression is deterministic, learns which words move a rating, and thresholds split it', () => {
  const rnd = seededRandom(7);
  const words = ['useless', 'perfect', 'train', 'hotel', 'ticket', 'tomorrow'];
  // As in rated support chats: a few percent rated low, about one in six high, most in between.
  const share: Record<string, number> = { useless: 0.04, perfect: 0.16 };
  const data = Array.from({ length: 600 }, () => {
    const features: Features = new Map();
    for (const w of words) if (rnd() < (share[w] ?? 0.3)) features.set(`u:${w}`, 1);
    const y = 3 - 1.2 * (features.get('u:useless') ?? 0) + 0.8 * (features.get('u:perfect') ?? 0) + (rnd() - 0.5) * 0.2;
    return { features, y };
  });
  const fit = { l2: 0.001, epochs: 400, learningRate: 0.05, minDf: 5 };
  const a = fitRidge(data, LABELS, fit);
  assert.deepEqual(fitRidge(data, LABELS, fit), a, 'same data, same model');
  assert.ok(a.weights['u:useless'] < -0.6, `useless ${a.weights['u:useless']}`);
  assert.ok(a.weights['u:perfect'] > 0.5, `perfect ${a.weights['u:perfect']}`);
  assert.ok(Math.abs(a.weights['u:train'] ?? 0) < 0.1, `train ${a.weights['u:train']}`);

  const scores = data.map((d) => regressionScore(a, d.features));
  const gold = data.map((d) => (d.y < 2.5 ? 'negative' : d.y > 3.5 ? 'positive' : 'neutral'));
  a.thresholds = tuneThresholds(scores, gold, LABELS, 0, seededRandom(1));
  assert.ok(a.thresholds[0] < a.thresholds[1]);
  const right = scores.filter((s, i) => regressionLabel(a, s) === gold[i]).length;
  assert.ok(right / scores.length > 0.9, `${right} of ${scores.length} labelled right`);
});
