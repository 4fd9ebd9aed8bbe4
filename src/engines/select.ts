// Picks the analysis engine from configuration: one switch, and for a hosted or self-hosted model
// the AI SDK provider that speaks its protocol. Settings are checked here, at startup, so a
// missing model or key fails the boot instead of the first analysis.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { ConfigError, type Config } from '../config.js';
import type { CallEvent } from './llm/call.js';
import { createLlmEngine } from './llm/engine.js';
import { createLocalEngine } from './local/engine.js';
import { createPooledLocalEngine } from './local/pool.js';
import type { AnalysisEngine } from './types.js';

export interface EngineDeps {
  /** Milliseconds; times model calls for `onCall`. */
  clock?: () => number;
  /** Replaces the HTTP client of the AI SDK providers (proxies, tests). */
  fetch?: typeof globalThis.fetch;
  /** Told when a local-engine worker thread fails outside an analysis (it could not start). */
  onWorkerError?: (err: Error) => void;
  /** Called after every model call with its timing and outcome, never with transcript text. */
  onLlmCall?: (e: CallEvent) => void;
}

/** Below this, the prompts and the reply leave too little room for any transcript. */
export const MIN_LLM_CONTEXT_TOKENS = 2048;

type Ai = Config['ai'];

function required(value: string | null, variable: string, provider: string): string {
  if (!value?.trim()) throw new ConfigError(`COLLOQUY_AI_PROVIDER=${provider} needs ${variable}`);
  return value.trim();
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export async function createEngine(ai: Ai, deps: EngineDeps = {}): Promise<AnalysisEngine> {
  let model: LanguageModel;
  switch (ai.provider) {
    case 'local':
      // Worker threads keep CPU-bound analyses off the event loop; COLLOQUY_ENGINE_THREADS=0 runs
      // them in the calling thread instead (small machines, debugging).
      return ai.threads === 0
        ? createLocalEngine()
        : createPooledLocalEngine({ threads: ai.threads ?? undefined, perUser: ai.perUser ?? undefined, abandonAfterMs: ai.abandonMs, onWorkerError: deps.onWorkerError });
    case 'openai': {
      const id = required(ai.model, 'COLLOQUY_AI_MODEL', ai.provider);
      const apiKey = required(ai.apiKey, 'COLLOQUY_AI_API_KEY', ai.provider);
      model = createOpenAI({ apiKey, baseURL: ai.baseUrl ? trimSlash(ai.baseUrl) : undefined, fetch: deps.fetch })(id);
      break;
    }
    case 'anthropic': {
      const id = required(ai.model, 'COLLOQUY_AI_MODEL', ai.provider);
      const apiKey = required(ai.apiKey, 'COLLOQUY_AI_API_KEY', ai.provider);
      model = createAnthropic({ apiKey, baseURL: ai.baseUrl ? trimSlash(ai.baseUrl) : undefined, fetch: deps.fetch })(id);
      break;
    }
    case 'openai-compatible': {
      // Ollama, vLLM, llama.cpp and similar servers: the URL includes the API prefix, e.g. http://localhost:11434/v1.
      const baseURL = trimSlash(required(ai.baseUrl, 'COLLOQUY_AI_BASE_URL', ai.provider));
      const id = required(ai.model, 'COLLOQUY_AI_MODEL', ai.provider);
      model = createOpenAICompatible({
        name: 'openai-compatible',
        baseURL,
        apiKey: ai.apiKey ?? undefined,
        // These servers accept response_format json_schema (and enforce it with grammars); the
        // ones that ignore it still get the shape from the prompt and a checked, re-asked reply.
        supportsStructuredOutputs: true,
        fetch: deps.fetch,
      }).chatModel(id);
      break;
    }
    default: {
      const unknown: never = ai.provider;
      throw new ConfigError(`Unknown COLLOQUY_AI_PROVIDER ${String(unknown)}`);
    }
  }
  if (ai.contextTokens < MIN_LLM_CONTEXT_TOKENS) {
    throw new ConfigError(`COLLOQUY_AI_CONTEXT_TOKENS must be at least ${MIN_LLM_CONTEXT_TOKENS} for an LLM provider`);
  }
  return createLlmEngine({
    model,
    name: `${ai.provider}:${ai.model?.trim()}`,
    contextTokens: ai.contextTokens,
    timeoutMs: ai.timeoutMs,
    maxRetries: ai.maxRetries,
    clock: deps.clock,
    onCall: deps.onLlmCall,
  });
}
