import type { Config } from '../config.js';
import { createLocalEngine } from './local/engine.js';
import type { AnalysisEngine } from './types.js';

// Placeholder until the LLM engines land: the local engine for every provider setting.
export async function createEngine(_ai: Config['ai']): Promise<AnalysisEngine> {
  return createLocalEngine();
}
