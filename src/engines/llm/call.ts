// One structured model call: a per-call deadline, the SDK's own retries for transport failures,
// one re-ask when the reply does not fit the schema, and every failure turned into a single
// AppError whose message says what went wrong without repeating the prompt, reply or key.
import { APICallError, NoObjectGeneratedError, NoOutputGeneratedError, Output, RetryError, generateText, type LanguageModel, type ModelMessage } from 'ai';
import type { z } from 'zod';
import { AppError } from '../../domain/errors.js';

export interface CallEvent {
  /** Which step of which analysis, e.g. "keypoints.map". */
  step: string;
  ok: boolean;
  ms: number;
  /** 1 for the first ask, 2 for the re-ask after an invalid reply. */
  asks: number;
}

export interface CallSettings {
  model: LanguageModel;
  timeoutMs: number;
  maxRetries: number;
  clock: () => number;
  onCall?: (e: CallEvent) => void;
}

export interface StructuredRequest<T> {
  step: string;
  system: string;
  prompt: string;
  schema: z.ZodType<T>;
  /** Cancels the call when a sibling call of the same analysis has already failed. */
  signal?: AbortSignal;
}

type Salvage<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Local servers often wrap JSON in prose or code fences; accept the object inside if it validates. */
export function salvageJson<T>(text: string | undefined, schema: z.ZodType<T>): Salvage<T> {
  if (!text?.trim()) return { ok: false, problem: 'The reply was empty.' };
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  const body = fenced ?? text;
  const from = body.indexOf('{');
  const to = body.lastIndexOf('}');
  if (from < 0 || to <= from) return { ok: false, problem: 'The reply was not a JSON object.' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.slice(from, to + 1));
  } catch {
    return { ok: false, problem: 'The reply was not valid JSON.' };
  }
  const checked = schema.safeParse(parsed);
  if (checked.success) return { ok: true, value: checked.data };
  const issues = checked.error.issues.slice(0, 8).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, problem: `The JSON did not match the required shape: ${issues.join('; ')}.` };
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** A short, content-free reason for the error envelope; details stay in `cause` for the log. */
export function describeFailure(err: unknown, timeoutMs: number): string {
  if (RetryError.isInstance(err)) return describeFailure(err.lastError, timeoutMs);
  if (isTimeout(err)) return `no reply within ${timeoutMs} ms`;
  if (APICallError.isInstance(err)) {
    const s = err.statusCode;
    if (s === 401 || s === 403) return `the provider rejected the credentials (HTTP ${s})`;
    if (s === 404) return 'the provider does not know this model or endpoint (HTTP 404)';
    if (s === 429) return 'the provider is rate limiting requests (HTTP 429)';
    if (s && s < 300) return 'the provider response could not be read';
    if (s) return `the provider answered HTTP ${s}`;
    if (isTimeout(err.cause)) return `no reply within ${timeoutMs} ms`;
    return 'the provider could not be reached';
  }
  if (NoObjectGeneratedError.isInstance(err) || NoOutputGeneratedError.isInstance(err)) return 'the reply did not match the expected JSON shape';
  if (err instanceof Error && err.name.startsWith('AI_')) return 'the provider response could not be read';
  if (err instanceof TypeError) return 'the provider could not be reached';
  return 'unexpected error';
}

export function providerError(err: unknown, timeoutMs: number): AppError {
  if (err instanceof AppError) return err;
  return new AppError('ai_provider_error', `The AI provider failed: ${describeFailure(err, timeoutMs)}`, { cause: err });
}

function reask(problem: string): string {
  return `${problem} Reply again with only the corrected JSON object, no prose and no code fences.`;
}

export async function callStructured<T>(s: CallSettings, req: StructuredRequest<T>): Promise<T> {
  const messages: ModelMessage[] = [{ role: 'user', content: req.prompt }];
  const started = s.clock();
  let asks = 0;
  const report = (ok: boolean) => s.onCall?.({ step: req.step, ok, ms: Math.max(0, s.clock() - started), asks });
  try {
    for (;;) {
      asks++;
      const deadline = AbortSignal.timeout(s.timeoutMs);
      try {
        const result = await generateText({
          model: s.model,
          system: req.system,
          messages,
          output: Output.object({ schema: req.schema, name: req.step.replace(/[^a-zA-Z0-9_-]/g, '_') }),
          maxRetries: s.maxRetries,
          abortSignal: req.signal ? AbortSignal.any([req.signal, deadline]) : deadline,
        });
        // The getter throws when the model stopped before writing anything (e.g. the output limit).
        const value = result.output;
        report(true);
        return value;
      } catch (err) {
        const invalid = NoObjectGeneratedError.isInstance(err) || NoOutputGeneratedError.isInstance(err);
        if (!invalid) throw err;
        const text = NoObjectGeneratedError.isInstance(err) ? err.text : undefined;
        const salvaged = salvageJson(text, req.schema);
        if (salvaged.ok) {
          report(true);
          return salvaged.value;
        }
        if (asks >= 2) throw err;
        if (text) messages.push({ role: 'assistant', content: text });
        messages.push({ role: 'user', content: reask(salvaged.problem) });
      }
    }
  } catch (err) {
    report(false);
    // When a sibling failed first, its error is the one worth reporting.
    if (req.signal?.aborted && req.signal.reason instanceof AppError) throw req.signal.reason;
    throw providerError(err, s.timeoutMs);
  }
}
