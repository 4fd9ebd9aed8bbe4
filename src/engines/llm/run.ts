// Runs the map step of an analysis a few calls at a time (local model servers serve one request
// at a time anyway) and stops the rest as soon as one fails: the analysis has failed by then,
// and every further call would cost money or GPU time for nothing.
import { AppError } from '../../domain/errors.js';

export async function mapLimit<I, O>(items: I[], limit: number, fn: (item: I, signal: AbortSignal) => Promise<O>): Promise<O[]> {
  const ctrl = new AbortController();
  const out = new Array<O>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !ctrl.signal.aborted) {
      const i = next++;
      try {
        out[i] = await fn(items[i], ctrl.signal);
      } catch (err) {
        if (!ctrl.signal.aborted) ctrl.abort(err instanceof AppError ? err : new AppError('ai_provider_error', 'The AI provider failed: unexpected error', { cause: err }));
        throw err;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (ctrl.signal.aborted) throw ctrl.signal.reason;
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return out;
}
