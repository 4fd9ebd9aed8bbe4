// Trains the local engine's action-item and decision models from the labelled data and writes them
// to src/engines/local/extraction/model.generated.ts. Prints cross-validated figures (folds by
// meeting series) next to training-set figures, and a reliability table of item confidence.
//   npm run train [-- --data DIR] [--folds 5] [--no-business] [--dry-run]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { extractActionItems } from '../src/engines/local/actions.js';
import { extractDecisions } from '../src/engines/local/decisions.js';
import { HASH_BITS } from '../src/engines/local/extraction/features.js';
import { OWNER_BITS } from '../src/engines/local/extraction/owner-model.js';
import { DEFAULT_SETTINGS, encodeWeights, type LinearModel } from '../src/engines/local/extraction/linear.js';
import { addPrf, chooseThreshold, goldOwnerExamples, f1, fitItemCalibration, folds, itemsAt, ownerAccuracy, ownerExamples, OWNER_SETTINGS, prepare, rawScores, trainOne, trainOwner, type Labelled, type Prepared, type Prf, type ScoreItems } from '../src/engines/local/extraction/training.js';
import { businessConversation } from './eval-extraction.js';
import { meetingConversation } from './eval.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'src/engines/local/extraction/model.generated.ts');

interface Scorer {
  scoreItems: ScoreItems;
  sameOwner(a: unknown, b: unknown): boolean;
}

export function loadLabelled(dataDir: string, opts: { business: boolean; file?: string; meetings?: string }): Labelled[] {
  const read = (f: string) => JSON.parse(readFileSync(join(dataDir, f), 'utf8'));
  const meetings = new Map((read(opts.meetings ?? 'ami.train.json') as any[]).map((m) => [m.id, m]));
  const out: Labelled[] = [];
  for (const l of read(opts.file ?? 'actions.train.json') as any[]) {
    const m = meetings.get(l.id);
    if (!m) continue;
    out.push({
      id: l.id,
      group: String(m.meta?.meetingId ?? l.id).replace(/[a-d]$/, ''),
      domain: 'ami',
      conv: meetingConversation(m),
      actions: l.actionItems.map((a: any) => ({ text: a.task, segments: a.segments, owner: a.owner, confidence: a.confidence })),
      decisions: l.decisions,
    });
  }
  if (opts.business) {
    for (const b of read('business.dev.json') as any[]) {
      const g = b.gold;
      out.push({
        id: b.id,
        group: b.id,
        domain: 'business',
        conv: businessConversation(b),
        actions: g.actionItems.map((a: any) => ({ text: a.task, segments: a.segments, owner: a.owner, due: a.due })),
        decisions: [...g.decisions.map((text: string, i: number) => ({ text, segments: g.decisionSegments[i] ?? [] })), ...(g.optionalDecisions ?? []).map((text: string) => ({ text, segments: [], confidence: 'low' }))],
      });
    }
  }
  return out;
}

export async function loadScorer(): Promise<Scorer> {
  return (await import(pathToFileURL(resolve(root, '../shared/eval/actions.mjs')).href)) as Scorer;
}

type Raw = { action: number[]; decision: number[] };

/** Out-of-fold raw scores: each conversation scored by a model that never saw its series. */
export function outOfFold(data: Prepared[], k: number, settings = DEFAULT_SETTINGS): Raw[] {
  const fold = folds(data, k);
  const oof: Raw[] = new Array(data.length);
  for (let f = 0; f < k; f++) {
    const train = data.filter((_, i) => fold[i] !== f);
    if (!train.length || train.length === data.length) continue;
    const w = { action: trainOne(train, 'yAction', settings), decision: trainOne(train, 'yDecision', settings) };
    data.forEach((d, i) => {
      if (fold[i] === f) oof[i] = rawScores(d, w);
    });
  }
  return oof;
}

interface Table {
  actions: Prf;
  decisions: Prf;
  owner: [number, number];
  preds: Array<{ p: number; conf: number; hit: boolean }>;
}

/** `owners[i]`: the owner model used for conversation i (out of fold for CV figures). */
export function evaluate(data: Prepared[], raws: Raw[], model: { action: LinearModel; decision: LinearModel }, S: Scorer, domain?: string, owners?: Float32Array[]): Table {
  const t: Table = { actions: { tp: 0, predicted: 0, required: 0 }, decisions: { tp: 0, predicted: 0, required: 0 }, owner: [0, 0], preds: [] };
  data.forEach((d, i) => {
    if (domain && d.domain !== domain) return;
    const r = itemsAt(d, raws[i], { ...model, owner: owners?.[i] }, S.scoreItems);
    addPrf(t.actions, r.a);
    addPrf(t.decisions, r.dec);
    for (const p of r.a.pairs) {
      t.owner[1]++;
      if (S.sameOwner((p.pred as { owner?: string | null }).owner, p.gold.owner)) t.owner[0]++;
    }
    t.preds.push(...r.preds);
  });
  return t;
}

const fmt = (m: Prf) => {
  const x = f1(m);
  return `${x.f.toFixed(1).padStart(5)} (P ${x.p.toFixed(1)}, R ${x.r.toFixed(1)})`;
};

function row(label: string, t: Table): string {
  const own = t.owner[1] ? `${((100 * t.owner[0]) / t.owner[1]).toFixed(0)} %` : '–';
  return `${label.padEnd(30)} actions ${fmt(t.actions)}  owner ${own.padStart(5)}   decisions ${fmt(t.decisions)}`;
}

export function reliability(preds: Array<{ conf: number; hit: boolean }>): string[] {
  const lines = ['confidence   items   mean conf   matched'];
  for (let b = 0; b < 5; b++) {
    const lo = b / 5;
    const hi = (b + 1) / 5;
    const bin = preds.filter((p) => p.conf >= lo && (p.conf < hi || (b === 4 && p.conf <= 1)));
    if (!bin.length) continue;
    const mean = bin.reduce((s, p) => s + p.conf, 0) / bin.length;
    const hit = bin.filter((p) => p.hit).length / bin.length;
    lines.push(`${lo.toFixed(1)}–${hi.toFixed(1)}   ${String(bin.length).padStart(6)}   ${mean.toFixed(2).padStart(9)}   ${(100 * hit).toFixed(0).padStart(6)} %`);
  }
  return lines;
}

async function main() {
  const argv = process.argv.slice(2);
  const dataDir = argv.includes('--data') ? resolve(argv[argv.indexOf('--data') + 1]) : resolve(root, '../shared/data');
  const k = argv.includes('--folds') ? Number(argv[argv.indexOf('--folds') + 1]) : 5;
  const business = !argv.includes('--no-business');
  const S = await loadScorer();
  const t0 = performance.now();
  const data = prepare(loadLabelled(dataDir, { business }));
  console.log(`${data.length} labelled conversations (${data.filter((d) => d.domain === 'ami').length} AMI, ${data.filter((d) => d.domain === 'business').length} business), ${data.reduce((s, d) => s + d.x.length, 0)} sentences, prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const oof = outOfFold(data, k);
  const th = { action: chooseThreshold(data, oof, 'action', S.scoreItems), decision: chooseThreshold(data, oof, 'decision', S.scoreItems) };
  const probe = (platt: [number, number]) => ({ action: { weights: new Float32Array(0), platt, threshold: th.action }, decision: { weights: new Float32Array(0), platt: [1, 0] as [number, number], threshold: th.decision } });
  const platt = fitItemCalibration(evaluate(data, oof, probe([1, 0]), S).preds);
  const model = probe(platt);

  const final = { action: trainOne(data, 'yAction'), decision: trainOne(data, 'yDecision') };
  const train = data.map((d) => rawScores(d, final));
  console.log(`thresholds chosen by ${k}-fold CV: action ${th.action}, decision ${th.decision}; item calibration a=${platt[0].toFixed(3)} b=${platt[1].toFixed(3)}`);

  // The owner model learns from the tasks built on out-of-fold scores (what unseen meetings look
  // like) that match a labelled task; its CV folds are the same series folds.
  const ownerEx = data.map((d, i) => ownerExamples(d, oof[i].action, th.action, S.scoreItems));
  // Every labelled task also teaches the owner model directly (from its labelled sentences); the
  // CV folds keep both kinds of example of a series together.
  const goldEx = data.map((d) => goldOwnerExamples(d));
  const fold = folds(data, k);
  const ownerOof: Float32Array[] = new Array(data.length);
  for (let f = 0; f < k; f++) {
    const w = trainOwner([...ownerEx, ...goldEx].filter((_, i) => fold[i % data.length] !== f).flat(), S.sameOwner);
    data.forEach((_, i) => fold[i] === f && (ownerOof[i] = w));
  }
  const ownerW = trainOwner([...ownerEx, ...goldEx].flat(), S.sameOwner);
  console.log('\nowner right on tasks matching a labelled one (out-of-fold tasks):');
  for (const dom of [...new Set(data.map((d) => d.domain))]) {
    const idx = data.map((d, i) => (d.domain === dom ? i : -1)).filter((i) => i >= 0);
    const cv = idx.map((i) => ownerAccuracy(ownerEx[i], ownerOof[i], S.sameOwner)).reduce((a, b) => ({ model: a.model + b.model, rule: a.rule + b.rule, n: a.n + b.n }), { model: 0, rule: 0, n: 0 });
    const tr = ownerAccuracy(idx.flatMap((i) => ownerEx[i]), ownerW, S.sameOwner);
    const pc = (x: number, n: number) => `${((100 * x) / Math.max(1, n)).toFixed(0)} %`;
    console.log(`  ${dom.padEnd(10)} ${String(cv.n).padStart(4)} tasks   rules ${pc(cv.rule, cv.n)}   model CV ${pc(cv.model, cv.n)}   model training set ${pc(tr.model, tr.n)}`);
  }
  console.log('');
  for (const dom of [...new Set(data.map((d) => d.domain))]) {
    const cvT = evaluate(data, oof, model, S, dom, ownerOof);
    console.log(row(`${dom} CV (${k} folds by series)`, cvT));
    console.log(row(`${dom} training set`, evaluate(data, train, model, S, dom, data.map(() => ownerW))));
    const rules: Table = { actions: { tp: 0, predicted: 0, required: 0 }, decisions: { tp: 0, predicted: 0, required: 0 }, owner: [0, 0], preds: [] };
    for (const d of data.filter((x) => x.domain === dom)) {
      addPrf(rules.actions, S.scoreItems(extractActionItems(d.t, d.t.speakers).map((a) => ({ text: a.item, evidence: a.evidence.map((e) => e.segmentIndex), owner: a.owner })), d.actions));
      addPrf(rules.decisions, S.scoreItems(extractDecisions(d.t).map((x) => ({ text: x.text, evidence: x.evidence.map((e) => e.segmentIndex) })), d.decisions));
    }
    console.log(row(`${dom} rules alone (before)`, rules));
  }
  console.log('\nreliability of action-item confidence, out of fold (all domains):');
  for (const l of reliability(evaluate(data, oof, model, S).preds)) console.log(`  ${l}`);

  const dev = prepare(loadLabelled(dataDir, { business: false, file: 'actions.dev.json', meetings: 'qmsum.dev.json' }));
  const devT = evaluate(dev, dev.map((d) => rawScores(d, final)), model, S, undefined, dev.map(() => ownerW));
  console.log(`\n${row('AMI dev (never trained on)', devT)}\nreliability on AMI dev:`);
  for (const l of reliability(devT.preds)) console.log(`  ${l}`);

  if (argv.includes('--dry-run')) return;
  const digest = createHash('sha256');
  for (const f of ['ami.train.json', 'actions.train.json', ...(business ? ['business.dev.json'] : [])]) digest.update(readFileSync(join(dataDir, f)));
  const stored = (w: Float32Array, m: LinearModel) => ({ weights: encodeWeights(w), platt: m.platt.map((x) => Number(x.toFixed(6))), threshold: m.threshold });
  const body = [
    '// Generated by `npm run train` (scripts/train.ts); do not edit by hand.',
    `// Data: ami.train.json + actions.train.json${business ? ' + business.dev.json' : ''} (sha256 ${digest.digest('hex').slice(0, 16)}), ${data.length} conversations.`,
    `// Model: logistic regression over ${1 << HASH_BITS} hashed sentence-in-context features (float32, base64);`,
    `// settings ${JSON.stringify(DEFAULT_SETTINGS)}; thresholds and item calibration from ${k}-fold CV by series.`,
    `// Owner: logistic regression over ${1 << OWNER_BITS} hashed candidate features, settings ${JSON.stringify(OWNER_SETTINGS)}.`,
    `export const MODEL = ${JSON.stringify({ hashBits: HASH_BITS, action: stored(final.action, model.action), decision: stored(final.decision, model.decision), owner: { weights: encodeWeights(ownerW) } })};`,
    '',
  ].join('\n');
  writeFileSync(OUT, body);
  console.log(`\nwrote ${OUT} (${(body.length / 1024).toFixed(0)} KB)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
