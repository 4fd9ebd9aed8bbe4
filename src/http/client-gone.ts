import type { FastifyReply } from 'fastify';

/**
 * Aborts when the client hangs up before its answer is sent, so work nobody is waiting for is
 * dropped or cut short (an analysis's thread, a search's statement) instead of holding its place.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const res = reply.raw;
  // A client can hang up before this is asked (while its request was authenticated and its
  // conversation read): 'close' has then already fired, and only the closed socket says so.
  if (!res.writableFinished && (res.destroyed || res.socket === null || res.socket?.destroyed)) {
    controller.abort();
    return controller.signal;
  }
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
