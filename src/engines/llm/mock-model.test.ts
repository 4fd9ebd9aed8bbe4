// The engine against the AI SDK's own mock model: what it asks of any provider (a JSON response
// format with a schema, an abort signal), how it reports timings, and how a failing call stops
// its siblings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APICallError } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { AppError } from '../../domain/errors.js';
import { emailDraftSchema, feedbackResultSchema, insightsSchema, keypointsSchema, queryResultSchema } from '../schemas.js';
import type { CallEvent } from './call.js';
import { createLlmEngine } from './engine.js';
import { meeting } from './testing/conversations.js';
import type { RecordedRequest } from './testing/fake-llm-server.js';
import { answer } from './testing/scripted-model.js';

// Derived from the mock so the test needs no direct dependency on the provider-spec package.
type LanguageModelV3CallOptions = Parameters<MockLanguageModelV3['doGenerate']>[0];
type LanguageModelV3GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };

function reply(text: string, finish: 'stop' | 'length' = 'stop'): LanguageModelV3GenerateResult {
  return { content: text ? [{ type: 'text', text }] : [], finishReason: { unified: finish, raw: finish }, usage, warnings: [] };
}

/** Presents a mock call the way the fake server records one, so the scripted model can answer it. */
function asRecorded(o: LanguageModelV3CallOptions): RecordedRequest {
  const text = (role: string) =>
    o.prompt.filter((m) => m.role === role).map((m) => (typeof m.content === 'string' ? m.content : m.content.map((p) => ('text' in p ? p.text : '')).join('')));
  const rf = o.responseFormat;
  return {
    protocol: 'chat', path: '', headers: {}, body: {},
    system: text('system').join('\n'), user: text('user'), assistant: text('assistant'),
    schema: rf?.type === 'json' ? rf.schema : null, schemaName: rf?.type === 'json' ? (rf.name ?? null) : null,
  };
}

test('every analysis runs on any AI SDK model: JSON response format with a schema, abort signal, timings', async () => {
  const model = new MockLanguageModelV3({ doGenerate: async (o) => reply(JSON.stringify(answer(asRecorded(o)))) });
  const events: CallEvent[] = [];
  let now = 1000;
  const engine = createLlmEngine({ model, name: 'mock:model', contextTokens: 32_000, timeoutMs: 5000, maxRetries: 0, clock: () => (now += 7), onCall: (e) => events.push(e) });
  const c = meeting(14);
  keypointsSchema.parse(await engine.keypoints(c));
  insightsSchema.parse(await engine.insights(c));
  emailDraftSchema.parse(await engine.email(c, { tone: 'professional' }));
  queryResultSchema.parse(await engine.query(c, 'What did Bob promise?'));
  feedbackResultSchema.parse(await engine.feedback(c, {}));

  assert.equal(engine.name, 'mock:model');
  assert.equal(model.doGenerateCalls.length, 5);
  for (const call of model.doGenerateCalls) {
    assert.equal(call.responseFormat?.type, 'json');
    assert.ok(call.responseFormat?.type === 'json' && call.responseFormat.schema, 'schema sent');
    assert.ok(call.abortSignal, 'deadline attached');
  }
  assert.deepEqual(events.map((e) => e.step), ['keypoints.map', 'insights.map', 'email', 'query', 'feedback']);
  assert.ok(events.every((e) => e.ok && e.ms === 7 && e.asks === 1));
});

test('a reply cut off by the output limit is re-asked, then reported', async () => {
  const model = new MockLanguageModelV3({ doGenerate: [reply('', 'length'), reply('{"title": "Plan', 'length')] });
  const events: CallEvent[] = [];
  const engine = createLlmEngine({ model, name: 'mock', contextTokens: 32_000, timeoutMs: 5000, maxRetries: 0, onCall: (e) => events.push(e) });
  await assert.rejects(engine.keypoints(meeting(12)), (e: unknown) => e instanceof AppError && e.code === 'ai_provider_error');
  assert.equal(model.doGenerateCalls.length, 2);
  assert.deepEqual(events.map((e) => [e.ok, e.asks]), [[false, 2]]);
});

test('when one part fails, the calls still running for the other parts are aborted', async () => {
  let aborted = 0;
  let calls = 0;
  const model = new MockLanguageModelV3({
    doGenerate: (o) => {
      calls++;
      if (calls === 2) {
        return Promise.reject(new APICallError({ message: 'bad gateway', url: 'http://model', requestBodyValues: {}, statusCode: 502, isRetryable: false }));
      }
      return new Promise((_, reject) =>
        o.abortSignal?.addEventListener('abort', () => {
          aborted++;
          reject(o.abortSignal?.reason);
        }),
      );
    },
  });
  const engine = createLlmEngine({ model, name: 'mock', contextTokens: 2048, timeoutMs: 10_000, maxRetries: 0, concurrency: 3 });
  const started = Date.now();
  await assert.rejects(engine.insights(meeting(200)), (e: unknown) => e instanceof AppError && e.code === 'ai_provider_error' && /HTTP 502/.test(e.message));
  assert.ok(Date.now() - started < 2000, 'did not wait for the deadline');
  assert.equal(calls, 3, 'no new calls start after the failure');
  assert.equal(aborted, 2);
});

test('insights fit the kind: a meeting gets no task outcome, signals or chat issues; a chat keeps them', async () => {
  const said = {
    sentiment: 'negative', sentimentScore: -0.5, taskCompleted: true, taskSignals: ['refund issued'], topics: ['refund'],
    summary: 'A refund was asked for and issued.',
    issues: [{ type: 'unresolved_request', description: 'The refund was slow.', evidence: [] }],
  };
  const model = new MockLanguageModelV3({ doGenerate: async () => reply(JSON.stringify(said)) });
  const engine = createLlmEngine({ model, name: 'mock', contextTokens: 32_000, timeoutMs: 5000, maxRetries: 0 });
  const m = meeting(6);
  const ofMeeting = insightsSchema.parse(await engine.insights(m));
  assert.equal(ofMeeting.taskCompleted, null);
  assert.deepEqual(ofMeeting.taskSignals, []);
  assert.deepEqual(ofMeeting.issues, []);
  assert.equal(ofMeeting.measures?.kind, 'meeting');
  assert.equal(ofMeeting.sentiment, 'negative');

  const chat = { ...m, kind: 'chat' as const, segments: m.segments.map((s, i) => ({ ...s, speaker: i % 2 ? 'Agent' : 'Customer' })) };
  const ofChat = insightsSchema.parse(await engine.insights(chat));
  assert.equal(ofChat.taskCompleted, true);
  assert.deepEqual(ofChat.taskSignals, ['refund issued']);
  assert.equal(ofChat.issues.length, 1);
  assert.equal(ofChat.measures?.kind, 'chat');
});
