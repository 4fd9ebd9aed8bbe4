// The last gate before a result leaves the engine: the same zod schema the local engine is held
// to. A failure here means the model produced something the normalisation did not catch.
import type { z } from 'zod';
import { AppError } from '../../domain/errors.js';

export function finalize<S extends z.ZodType>(schema: S, value: z.input<S>): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError('ai_provider_error', 'The AI provider failed: its reply could not be turned into a valid result', { cause: parsed.error });
}
