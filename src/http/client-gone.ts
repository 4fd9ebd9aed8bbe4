import type { FastifyReply } from 'fastify';

/**
 * Aborts when the client hangs up before its answer is sent, so work nobody is waiting for is
 * dropped or cut short (an analysis's thread, a search's statement) instead of holding its place.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const res = reply.raw;
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
