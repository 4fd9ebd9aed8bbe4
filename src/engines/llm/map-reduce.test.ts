// Long transcripts with a small context window: every segment is shown to some call (asserted on
// the requests the fake server received), the partial results are merged, and no request is
// larger than the window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import { createLocalEngine } from '../local/engine.js';
import { feedbackResultSchema, insightsSchema, keypointsSchema, queryResultSchema } from '../schemas.js';
import { createEngine } from '../select.js';
import type { AnalysisEngine } from '../types.js';
import { outputReserve } from './context.js';
import { meeting, segmentText } from './testing/conversations.js';
import { citedLines, startFakeLlm, type RecordedRequest } from './testing/fake-llm-server.js';
import { answer, stepOf, type Step } from './testing/scripted-model.js';
import { estimateTokens } from './transcript.js';

const CONTEXT = 2048;
const N = 120;

async function withEngine(fn: (engine: AnalysisEngine, requests: RecordedRequest[]) => Promise<void>) {
  const fake = await startFakeLlm((req) => ({ json: answer(req) }));
  try {
    const ai = loadConfig(
      {
        COLLOQUY_AI_PROVIDER: 'openai-compatible',
        COLLOQUY_AI_BASE_URL: fake.url,
        COLLOQUY_AI_MODEL: 'small-model',
        COLLOQUY_AI_CONTEXT_TOKENS: String(CONTEXT),
        COLLOQUY_AI_MAX_RETRIES: '0',
      },
      tmpdir(),
    ).ai;
    await fn(await createEngine(ai), fake.requests);
  } finally {
    await fake.close();
  }
}

const of = (requests: RecordedRequest[], step: Step) => requests.filter((r) => stepOf(r) === step);

function assertCovers(maps: RecordedRequest[], n: number) {
  const seen = new Set(maps.flatMap(citedLines));
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  assert.deepEqual(missing, [], 'every segment is shown to some map call');
}

function assertFitWindow(requests: RecordedRequest[]) {
  for (const r of requests) {
    const tokens = estimateTokens(r.system) + r.user.reduce((a, u) => a + estimateTokens(u), 0);
    assert.ok(tokens + outputReserve(CONTEXT) <= CONTEXT, `request of ~${tokens} tokens leaves room for the reply`);
  }
}

test('key points: map over overlapping chunks covering every segment, then one reduce', async () => {
  await withEngine(async (engine, requests) => {
    const kp = await engine.keypoints(meeting(N));
    keypointsSchema.parse(kp);
    const maps = of(requests, 'keypoints.map');
    assert.ok(maps.length >= 3, `expected several map calls, got ${maps.length}`);
    assertCovers(maps, N);
    assertFitWindow(requests);
    const chunks = maps.map(citedLines);
    for (let k = 1; k < chunks.length; k++) {
      assert.ok(chunks[k].includes(chunks[k - 1][chunks[k - 1].length - 1]), 'consecutive chunks share a line');
      assert.match(maps[k].user[0], new RegExp(`part ${k + 1} of ${maps.length}`));
    }

    const reduces = of(requests, 'keypoints.reduce');
    assert.equal(reduces.length, 1);
    assert.equal(kp.title, 'Weekly planning, merged');
    // Each merged point carries the evidence of the partial point it cites: the first line of each chunk.
    assert.deepEqual(kp.sections[0].pointDetails.map((p) => p.evidence[0]?.segmentIndex), chunks.map((c) => c[0]));
    assert.equal(kp.decisions.length, 1);
    assert.ok(kp.decisionDetails[0].evidence.length >= 2);
    // The same commitment seen in every chunk is one action item; people and dates de-duplicate too.
    assert.equal(kp.actionItems.length, 1);
    assert.deepEqual(kp.participants, ['Alice Chen', 'Bob Ortiz']);
    assert.equal(kp.importantDates.length, 1);
  });
});

test('insights: map, then a merge call for the prose; sentiment and outcome merged deterministically', async () => {
  await withEngine(async (engine, requests) => {
    const ins = await engine.insights(meeting(N));
    insightsSchema.parse(ins);
    assertCovers(of(requests, 'insights.map'), N);
    assert.equal(of(requests, 'insights.reduce').length, 1);
    assert.equal(ins.summary, 'The whole meeting, merged.');
    assert.equal(ins.sentimentScore, 0.6);
    assert.equal(ins.sentiment, 'positive');
    // A meeting gets no task outcome even when the model gives one (the local engine's rule).
    assert.equal(ins.taskCompleted, null);
    assert.deepEqual(ins.taskSignals, []);
    assertFitWindow(requests);
  });
});

test('query: a specific question is answered from the BM25-retrieved excerpts only', async () => {
  const c = meeting(N, { textOf: (i) => (i === 77 ? 'The penguin mascot for the launch costs three hundred dollars.' : segmentText(i)) });
  await withEngine(async (engine, requests) => {
    const q = await engine.query(c, 'How much does the penguin mascot cost?');
    queryResultSchema.parse(q);
    assert.equal(requests.length, 1);
    assert.equal(stepOf(requests[0]), 'query');
    assert.match(requests[0].user[0], /^\[77\] .*penguin mascot/m);
    assert.ok(citedLines(requests[0]).length < N, 'only excerpts are sent');
    assert.match(requests[0].user[0], /most relevant to the question/);
    assert.equal(q.metadata.strategy, 'retrieval');
    const used = q.metadata.chunksUsed as Array<{ firstSegment: number; lastSegment: number; score: number }>;
    assert.ok(used.some((u) => u.firstSegment <= 77 && u.lastSegment >= 77 && u.score > 0));
    assert.equal(q.metadata.segmentsAnalyzed, N);
    assertFitWindow(requests);
  });
});

test('query: a question about everything reads every part, then answers from the notes', async () => {
  await withEngine(async (engine, requests) => {
    const q = await engine.query(meeting(N), 'Summarise the meeting');
    queryResultSchema.parse(q);
    const maps = of(requests, 'query.map');
    assertCovers(maps, N);
    assert.equal(of(requests, 'query.reduce').length, 1);
    assert.equal(q.response, 'Merged answer.');
    assert.equal(q.metadata.strategy, 'map-reduce');
    assert.equal((q.metadata.chunksUsed as unknown[]).length, maps.length);
    assert.ok(q.evidence.length > 0);
    assertFitWindow(requests);
  });
});

test('query: a question no excerpt matches falls back to reading every part', async () => {
  await withEngine(async (engine, requests) => {
    const q = await engine.query(meeting(N), 'Anything about zebras?');
    assert.equal(q.metadata.strategy, 'map-reduce');
    assertCovers(of(requests, 'query.map'), N);
  });
});

test('email: a long transcript is read as key points, merged, and the e-mail written from the notes', async () => {
  await withEngine(async (engine, requests) => {
    const email = await engine.email(meeting(N), { tone: 'professional' });
    assert.equal(email.subject, 'Follow-up: weekly planning');
    assertCovers(of(requests, 'keypoints.map'), N);
    assert.equal(of(requests, 'keypoints.reduce').length, 1);
    const write = of(requests, 'email');
    assert.equal(write.length, 1);
    assert.match(write[0].user[0], /Notes from the whole conversation/);
    assert.match(write[0].user[0], /Bob Ortiz: Send the budget report \(due 2025-03-07\)/);
    assert.deepEqual(citedLines(write[0]), []);
    assertFitWindow(requests);
  });
});

test('feedback: metrics and scores are the local engine\'s; the model coaches from observations of every part', async () => {
  const c = meeting(N);
  await withEngine(async (engine, requests) => {
    const fb = await engine.feedback(c, { userSpeakerName: 'bob ortiz' });
    feedbackResultSchema.parse(fb);
    const local = await createLocalEngine().feedback(c, { userSpeakerName: 'bob ortiz' });
    assert.equal(fb.userSpeakerName, 'Bob Ortiz');
    assert.deepEqual(fb.metrics, local.metrics);
    assert.deepEqual(fb.categoryScores, local.categoryScores);
    assert.equal(fb.overallScore, local.overallScore);
    assert.match(fb.formulaVersion, /\+llm$/);

    assertCovers(of(requests, 'feedback.map'), N);
    const reduce = of(requests, 'feedback.reduce');
    assert.equal(reduce.length, 1);
    assert.match(reduce[0].user[0], /share of all words spoken: \d+%/);
    assert.equal(fb.strengths[0].description, 'Clear framing throughout.');
    const quoted = fb.strengths[0].evidence[0];
    assert.equal(c.segments[quoted.segmentIndex].speaker, 'Bob Ortiz');
    assert.equal(fb.strengths[0].quote, quoted.quote);
    assert.match(fb.strengths[0].timestamp, /^\d{2}:\d{2}$/);
    assert.equal(fb.topPriority.focus, 'Invite input');
    assertFitWindow(requests);
  });
});

test('feedback: one call for a short meeting; quotes not in the person\'s own lines are dropped', async () => {
  const c = meeting(12);
  await withEngine(async (engine, requests) => {
    const fb = await engine.feedback(c, { userSpeakerName: 'Bob Ortiz' });
    assert.equal(requests.length, 1);
    assert.equal(stepOf(requests[0]), 'feedback');
    assert.match(requests[0].user[0], /Person to coach: Bob Ortiz/);
    // The growth area cited line 0 (Alice) and line 1 (Bob): Alice's words count only where Bob said them too.
    const cited = fb.growthAreas[0].evidence;
    assert.ok(cited.some((e) => e.segmentIndex === 1));
    assert.ok(cited.every((e) => c.segments[e.segmentIndex].speaker === 'Bob Ortiz' && c.segments[e.segmentIndex].text.includes(e.quote)));
    assert.equal(fb.strengths[0].timestamp, '09:00');
  });
});

test('feedback: fewer than 10 segments is a validation error and no model call', async () => {
  await withEngine(async (engine, requests) => {
    await assert.rejects(engine.feedback(meeting(9), {}), (e: unknown) => e instanceof AppError && e.code === 'validation_error');
    assert.equal(requests.length, 0);
  });
});

test('key points: when the partial results overflow one merge call, they are merged in rounds', async () => {
  await withEngine(async (engine, requests) => {
    const kp = await engine.keypoints(meeting(1500));
    const maps = of(requests, 'keypoints.map');
    assertCovers(maps, 1500);
    const reduces = of(requests, 'keypoints.reduce');
    assert.ok(reduces.length >= 3, `expected group merges plus a final merge, got ${reduces.length}`);
    // Nothing is lost between rounds: the final outline still has one point per map call.
    assert.equal(kp.sections.flatMap((s) => s.points).length, maps.length);
    assertFitWindow(requests);
  });
});

test('a single turn longer than the window is shown in parts across calls, none of it dropped', async () => {
  const speech = Array.from({ length: 4000 }, (_, i) => `w${i}`).join(' ');
  const c = meeting(20, { textOf: (i) => (i === 10 ? speech : segmentText(i)) });
  await withEngine(async (engine, requests) => {
    await engine.insights(c);
    const maps = of(requests, 'insights.map');
    assertCovers(maps, 20);
    const shown = new Set(maps.flatMap((r) => [...r.user[0].matchAll(/^\[10\] .*?\(part \d+\/\d+\): (.*)$/gm)].flatMap((m) => m[1].split(' '))));
    for (let i = 0; i < 4000; i++) assert.ok(shown.has(`w${i}`), `w${i} was shown`);
    assertFitWindow(requests);
  });
});
