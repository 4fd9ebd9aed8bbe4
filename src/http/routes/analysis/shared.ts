import type { FastifyReply } from 'fastify';
import { z } from 'zod';

export const refreshBody = z.object({ forceRefresh: z.boolean({ error: 'Must be true or false' }).default(false) }).strict();

/**
 * Aborts when the client hangs up before its answer is sent, so the engine can drop an analysis
 * nobody is waiting for (or cut it short) instead of holding a thread for it.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const res = reply.raw;
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
