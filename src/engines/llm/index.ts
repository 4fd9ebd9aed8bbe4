export { createLlmEngine, type LlmEngineOptions } from './engine.js';
export type { CallEvent } from './call.js';
