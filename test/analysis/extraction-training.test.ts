// Retraining the extraction models on a small slice of the labelled meetings: the same data and
// seed give the same weights, and the learned models beat the hand-written rules on meeting series
// they never saw. Needs the labelled data beside the repository (../shared/data).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { extractActionItems } from '../../src/engines/local/actions.js';
import { extractDecisions } from '../../src/engines/local/decisions.js';
import { addPrf, chooseThreshold, f1, itemsAt, ownerAccuracy, ownerExamples, prepare, rawScores, trainOne, trainOwner, type Prf } from '../../src/engines/local/extraction/training.js';
import { loadLabelled, loadScorer, outOfFold } from '../../scripts/train.js';

const dataDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');
const skip = existsSync(resolve(dataDir, 'actions.train.json')) ? false : 'labelled data (../shared/data) not present';

test('a retrained slice is deterministic and beats the rules on held-back series', { skip }, async (t) => {
  const S = await loadScorer();
  const all = loadLabelled(dataDir, { business: false });
  const series = [...new Set(all.map((d) => d.group))].sort();
  // Train on six series, hold back three others (every meeting of a series on one side).
  const trainSeries = new Set(series.slice(0, 6));
  const heldSeries = new Set(series.slice(-3));
  const train = prepare(all.filter((d) => trainSeries.has(d.group)));
  const held = prepare(all.filter((d) => heldSeries.has(d.group)));
  assert.ok(train.length >= 8 && held.length >= 6, `slice sizes ${train.length}/${held.length}`);

  const a1 = trainOne(train, 'yAction');
  const a2 = trainOne(train, 'yAction');
  assert.deepEqual(Buffer.from(a1.buffer), Buffer.from(a2.buffer), 'same data and seed, same action weights');
  const weights = { action: a1, decision: trainOne(train, 'yDecision') };
  assert.deepEqual(Buffer.from(weights.decision.buffer), Buffer.from(trainOne(train, 'yDecision').buffer), 'same decision weights');

  // Thresholds as `npm run train` picks them: by cross-validation on the training slice only.
  const oof = outOfFold(train, 3);
  const model = {
    action: { weights: weights.action, platt: [1, 0] as [number, number], threshold: chooseThreshold(train, oof, 'action', S.scoreItems) },
    decision: { weights: weights.decision, platt: [1, 0] as [number, number], threshold: chooseThreshold(train, oof, 'decision', S.scoreItems) },
  };
  const learned = { actions: { tp: 0, predicted: 0, required: 0 } as Prf, decisions: { tp: 0, predicted: 0, required: 0 } as Prf };
  const rules = { actions: { tp: 0, predicted: 0, required: 0 } as Prf, decisions: { tp: 0, predicted: 0, required: 0 } as Prf };
  for (const d of held) {
    const r = itemsAt(d, rawScores(d, weights), model, S.scoreItems);
    addPrf(learned.actions, r.a);
    addPrf(learned.decisions, r.dec);
    addPrf(rules.actions, S.scoreItems(extractActionItems(d.t, d.t.speakers).map((a) => ({ text: a.item, evidence: a.evidence.map((e) => e.segmentIndex) })), d.actions));
    addPrf(rules.decisions, S.scoreItems(extractDecisions(d.t).map((x) => ({ text: x.text, evidence: x.evidence.map((e) => e.segmentIndex) })), d.decisions));
  }
  const figures = `learned actions ${f1(learned.actions).f.toFixed(1)} decisions ${f1(learned.decisions).f.toFixed(1)}; rules actions ${f1(rules.actions).f.toFixed(1)} decisions ${f1(rules.decisions).f.toFixed(1)}`;
  t.diagnostic(figures);
  assert.ok(f1(learned.actions).f > f1(rules.actions).f, figures);
  assert.ok(f1(learned.decisions).f > f1(rules.decisions).f, figures);

  // The owner model learns from the training slice's tasks (built on its out-of-fold scores) and
  // chooses owners on the held-back series' tasks at least as well as the rule does.
  const ownerTrain = train.flatMap((d, i) => ownerExamples(d, oof[i].action, model.action.threshold, S.scoreItems));
  const o1 = trainOwner(ownerTrain, S.sameOwner);
  assert.deepEqual(Buffer.from(o1.buffer), Buffer.from(trainOwner(ownerTrain, S.sameOwner).buffer), 'same owner weights');
  const ownerHeld = held.flatMap((d) => ownerExamples(d, rawScores(d, weights).action, model.action.threshold, S.scoreItems));
  const acc = ownerAccuracy(ownerHeld, o1, S.sameOwner);
  const owners = `owner right on ${acc.n} held-back tasks: model ${acc.model}, rule ${acc.rule}`;
  t.diagnostic(owners);
  assert.ok(acc.n >= 10, owners);
  assert.ok(acc.model >= acc.rule, owners);
});
