// The LLM engine end to end over real HTTP: createEngine from configuration, the AI SDK
// providers, and a fake model server on 127.0.0.1 speaking each wire protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import { insightsSchema, keypointsSchema } from '../schemas.js';
import { createEngine } from '../select.js';
import { meeting, segmentText } from './testing/conversations.js';
import { startFakeLlm, transcriptOf, type Reply, type RecordedRequest } from './testing/fake-llm-server.js';
import { answer } from './testing/scripted-model.js';

const KEY = 'sk-test-0123456789';

function aiConfig(env: Record<string, string>) {
  return loadConfig({ COLLOQUY_AI_MODEL: 'test-model', COLLOQUY_AI_API_KEY: KEY, COLLOQUY_AI_MAX_RETRIES: '0', ...env }, tmpdir()).ai;
}

async function withServer<T>(respond: (req: RecordedRequest, n: number) => Reply | Promise<Reply>, fn: (url: string, requests: RecordedRequest[]) => Promise<T>): Promise<T> {
  const fake = await startFakeLlm(respond);
  try {
    return await fn(fake.url, fake.requests);
  } finally {
    await fake.close();
  }
}

async function rejectsWith(p: Promise<unknown>, code: string, check?: (e: AppError) => void) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`);
    assert.equal(err.code, code);
    check?.(err);
    return true;
  });
}

/** Error messages go to API clients: never the key, never transcript text. */
function clean(e: AppError) {
  assert.ok(!e.message.includes(KEY));
  assert.ok(!e.message.includes('option'), e.message);
  assert.match(e.message, /^The AI provider failed: /);
}

test('openai-compatible: a good key-points reply is validated and its evidence checked', async () => {
  const c = meeting(12);
  await withServer(
    (req) => {
      const lines = transcriptOf(req);
      const line = (i: number) => lines.find((l) => l.index === i)!.text;
      return {
        json: {
          title: 'Weekly planning',
          sections: [
            {
              heading: 'Budget',
              points: [
                {
                  text: 'The budget needs a decision.',
                  evidence: [
                    { segmentIndex: 0, quote: "let's look at the budget" }, // case differs: kept, verbatim
                    { segmentIndex: 1, quote: 'this was never said by anyone here' }, // invented: dropped
                    { segmentIndex: 4, quote: line(5).split(' ').slice(0, 6).join(' ') }, // off by one: re-pointed
                    { segmentIndex: 999, quote: line(11).split(' ').slice(0, 6).join(' ') }, // out of range: clamped
                  ],
                },
              ],
            },
          ],
          decisions: [{ text: 'Go with option 1.', evidence: [{ segmentIndex: 1, quote: 'option 1 for the budget is safer' }] }],
          actionItems: [
            { item: 'Send the budget report', owner: 'Bob Ortiz', confidence: 1.7, priority: 'high', dueDate: '2025-03-07', evidence: [{ segmentIndex: 3, quote: 'I will send the budget report' }] },
            { item: 'Check the figures', owner: null, confidence: 0.5, priority: 'medium', dueDate: 'Friday', evidence: [] },
          ],
          participants: ['Alice Chen', 'Bob Ortiz', 'bob ortiz', 'Carol'],
          importantDates: [
            { date: '2025-03-07', context: 'Report due', evidence: [] },
            { date: '2025-02-30', context: 'Not a real day', evidence: [] },
          ],
        },
      };
    },
    async (url, requests) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: url }));
      assert.equal(engine.name, 'openai-compatible:test-model');
      const kp = await engine.keypoints(c);
      keypointsSchema.parse(kp);

      assert.equal(requests.length, 1);
      const req = requests[0];
      assert.equal(req.path, '/v1/chat/completions');
      assert.equal(req.headers.authorization, `Bearer ${KEY}`);
      assert.equal(req.body.model, 'test-model');
      assert.equal(req.body.response_format?.type, 'json_schema');
      assert.ok(req.schema, 'the JSON schema travels with the request');
      assert.match(req.user[0], /^\[0\] Alice Chen \(09:00\): Let's look at the budget/m);
      assert.match(req.system, /not instructions/);

      const ev = kp.sections[0].pointDetails[0].evidence;
      assert.deepEqual(ev.map((e) => e.segmentIndex), [0, 5, 11]);
      assert.equal(ev[0].quote, "Let's look at the budget");
      assert.ok(ev.every((e) => c.segments[e.segmentIndex].text.includes(e.quote)));
      assert.deepEqual(kp.sections[0].points, ['The budget needs a decision.']);
      assert.deepEqual(kp.decisions, ['Go with option 1.']);
      assert.equal(kp.decisionDetails[0].evidence[0].quote, 'option 1 for the budget is safer');

      assert.equal(kp.actionItems[0].confidence, 1);
      assert.equal(kp.actionItems[0].dueDate, '2025-03-07');
      assert.equal(kp.actionItems[1].dueDate, null);
      assert.deepEqual(kp.participants, ['Alice Chen', 'Bob Ortiz', 'Carol']);
      assert.deepEqual(kp.importantDates.map((d) => d.date), ['2025-03-07']);
    },
  );
});

test('openai: the Responses API at COLLOQUY_AI_BASE_URL, with the key header', async () => {
  await withServer(
    (req) => ({ json: answer(req) }),
    async (url, requests) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai', COLLOQUY_AI_BASE_URL: url }));
      const insights = await engine.insights(meeting(12));
      insightsSchema.parse(insights);
      assert.equal(insights.sentiment, 'positive');
      assert.equal(requests.length, 1);
      assert.equal(requests[0].path, '/v1/responses');
      assert.equal(requests[0].headers.authorization, `Bearer ${KEY}`);
      assert.equal(requests[0].body.text?.format?.type, 'json_schema');
      assert.match(requests[0].system, /numbered lines/);
    },
  );
});

test('anthropic: the messages API with x-api-key and the output schema', async () => {
  await withServer(
    (req) => ({ json: answer(req) }),
    async (url, requests) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'anthropic', COLLOQUY_AI_BASE_URL: url, COLLOQUY_AI_MODEL: 'example-model-1' }));
      const kp = await engine.keypoints(meeting(12));
      keypointsSchema.parse(kp);
      assert.equal(kp.title, 'Planning from line 0');
      assert.equal(kp.sections[0].pointDetails[0].evidence[0].segmentIndex, 0);
      assert.equal(requests[0].path, '/v1/messages');
      assert.equal(requests[0].headers['x-api-key'], KEY);
      assert.ok(requests[0].headers['anthropic-version']);
      assert.ok(requests[0].schema, 'the schema is sent (as an output format, or a tool on older models)');
      assert.equal(requests[0].body.model, 'example-model-1');
    },
  );
});

test('malformed JSON is re-asked once, then reported as ai_provider_error', async () => {
  await withServer(
    () => ({ text: 'Sure! Here are the key points: the budget, the hiring plan' }),
    async (url, requests) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: url, COLLOQUY_AI_MAX_RETRIES: '2' }));
      await rejectsWith(engine.keypoints(meeting(12)), 'ai_provider_error', (e) => {
        clean(e);
        assert.match(e.message, /expected JSON shape/);
        assert.equal(e.status, 502);
      });
      assert.equal(requests.length, 2);
      assert.deepEqual(requests[1].assistant, ['Sure! Here are the key points: the budget, the hiring plan']);
      assert.match(requests[1].user[1], /not a JSON object/);
    },
  );
});

test('a reply that breaks the schema is re-asked with the problems and the second reply is used', async () => {
  await withServer(
    (req, n) => (n === 1 ? { json: { title: 42, sections: 'none' } } : { json: answer(req) }),
    async (url, requests) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: url }));
      const kp = await engine.keypoints(meeting(12));
      assert.equal(kp.title, 'Planning from line 0');
      assert.equal(requests.length, 2);
      assert.match(requests[1].user[1], /title: .*; sections: /);
    },
  );
});

test('JSON wrapped in a code fence is accepted without a re-ask', async () => {
  await withServer(
    (req) => ({ text: `Here you go:\n\`\`\`json\n${JSON.stringify(answer(req))}\n\`\`\`` }),
    async (url, requests) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: url }));
      const ins = await engine.insights(meeting(12));
      assert.equal(ins.summary, 'Part from line 0.');
      assert.equal(requests.length, 1);
    },
  );
});

test('a server that never answers times out as ai_provider_error', async () => {
  await withServer(
    () => ({ hang: true }),
    async (url, requests) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: url, COLLOQUY_AI_TIMEOUT_MS: '300', COLLOQUY_AI_MAX_RETRIES: '2' }));
      const started = Date.now();
      await rejectsWith(engine.insights(meeting(12)), 'ai_provider_error', (e) => {
        clean(e);
        assert.match(e.message, /no reply within 300 ms/);
      });
      assert.ok(Date.now() - started < 3000, 'the deadline is enforced, timeouts are not retried');
      assert.equal(requests.length, 1);
    },
  );
});

test('HTTP 500 is retried by the SDK, then reported as ai_provider_error', async () => {
  await withServer(
    () => ({ status: 500, headers: { 'retry-after-ms': '5' }, body: { error: { message: `upstream broke while reading ${segmentText(1)}`, type: 'server_error' } } }),
    async (url, requests) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: url, COLLOQUY_AI_MAX_RETRIES: '1' }));
      await rejectsWith(engine.email(meeting(12), { tone: 'concise' }), 'ai_provider_error', (e) => {
        clean(e);
        assert.match(e.message, /HTTP 500/);
        assert.ok(e.cause, 'the provider error is kept as the cause for the log');
      });
      assert.equal(requests.length, 2);
    },
  );
});

test('a rejected key is reported without echoing it', async () => {
  await withServer(
    () => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' } } }),
    async (url) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai', COLLOQUY_AI_BASE_URL: url }));
      await rejectsWith(engine.query(meeting(12), 'Who sends the report?'), 'ai_provider_error', (e) => {
        clean(e);
        assert.match(e.message, /credentials \(HTTP 401\)/);
      });
    },
  );
});

test('an unreachable server is ai_provider_error', async () => {
  const fake = await startFakeLlm(() => ({ json: {} }));
  const url = fake.url;
  await fake.close();
  const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: url }));
  await rejectsWith(engine.insights(meeting(12)), 'ai_provider_error', (e) => {
    clean(e);
    assert.match(e.message, /could not be reached/);
  });
});

test('email and query over one call each, with tone and question in the prompt', async () => {
  await withServer(
    (req) => ({ json: answer(req) }),
    async (url, requests) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: url }));
      const email = await engine.email(meeting(12), { tone: 'casual', recipientName: 'Dana' });
      assert.equal(email.subject, 'Follow-up: weekly planning');
      assert.match(requests[0].system, /Tone: Casual/);
      assert.match(requests[0].user[0], /Recipient: Dana/);

      const q = await engine.query(meeting(12), 'Who will send the budget report?');
      assert.equal(q.response, 'Answered from line 0.');
      assert.equal(q.metadata.segmentsAnalyzed, 12);
      assert.equal(q.metadata.intent, 'specific');
      assert.equal(q.metadata.strategy, 'full');
      assert.ok((q.metadata.conversationDuration ?? 0) > 3);
      assert.deepEqual(q.evidence.map((e) => e.segmentIndex), [0]);
      assert.match(requests[1].user[0], /Question: Who will send the budget report\?/);
    },
  );
});

test('a 200 whose body is not the protocol is ai_provider_error', async () => {
  await withServer(
    () => ({ status: 200, body: { unexpected: true } }),
    async (url) => {
      const engine = await createEngine(aiConfig({ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: url }));
      await rejectsWith(engine.insights(meeting(12)), 'ai_provider_error', (e) => {
        clean(e);
        assert.match(e.message, /could not be read/);
      });
    },
  );
});
