import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { ConfigError, loadConfig } from '../../config.js';
import { createEngine } from '../select.js';

const ai = (env: Record<string, string>) => loadConfig(env, tmpdir()).ai;

test('local is the default engine and needs nothing; threads=0 keeps it in the calling thread', async () => {
  const pooled = await createEngine(ai({}));
  try {
    assert.equal(pooled.name, 'local');
    assert.equal(typeof pooled.close, 'function', 'the pooled engine owns worker threads to stop');
  } finally {
    await pooled.close?.();
  }
  const inline = await createEngine(ai({ COLLOQUY_ENGINE_THREADS: '0' }));
  assert.equal(inline.name, 'local');
  assert.equal(inline.close, undefined);
});

test('hosted providers need a model and a key; self-hosted servers a base URL and a model', async () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ COLLOQUY_AI_PROVIDER: 'openai', COLLOQUY_AI_API_KEY: 'k' }, /openai needs COLLOQUY_AI_MODEL/],
    [{ COLLOQUY_AI_PROVIDER: 'openai', COLLOQUY_AI_MODEL: 'gpt-4o-mini' }, /openai needs COLLOQUY_AI_API_KEY/],
    [{ COLLOQUY_AI_PROVIDER: 'anthropic', COLLOQUY_AI_MODEL: 'example-model-1' }, /anthropic needs COLLOQUY_AI_API_KEY/],
    [{ COLLOQUY_AI_PROVIDER: 'anthropic', COLLOQUY_AI_API_KEY: 'k', COLLOQUY_AI_MODEL: ' ' }, /anthropic needs COLLOQUY_AI_MODEL/],
    [{ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_MODEL: 'llama3.1' }, /openai-compatible needs COLLOQUY_AI_BASE_URL/],
    [{ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: 'http://127.0.0.1:11434/v1' }, /openai-compatible needs COLLOQUY_AI_MODEL/],
    [{ COLLOQUY_AI_PROVIDER: 'openai', COLLOQUY_AI_API_KEY: 'k', COLLOQUY_AI_MODEL: 'm', COLLOQUY_AI_CONTEXT_TOKENS: '1000' }, /at least 2048/],
  ];
  for (const [env, message] of cases) {
    await assert.rejects(createEngine(ai(env)), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
  }
});

test('a complete configuration builds a named engine without any network call', async () => {
  const a = await createEngine(ai({ COLLOQUY_AI_PROVIDER: 'openai-compatible', COLLOQUY_AI_BASE_URL: 'http://127.0.0.1:9/v1/', COLLOQUY_AI_MODEL: 'qwen2.5:7b' }));
  assert.equal(a.name, 'openai-compatible:qwen2.5:7b');
  const b = await createEngine(ai({ COLLOQUY_AI_PROVIDER: 'anthropic', COLLOQUY_AI_API_KEY: 'k', COLLOQUY_AI_MODEL: 'example-model-1' }));
  assert.equal(b.name, 'anthropic:example-model-1');
});
