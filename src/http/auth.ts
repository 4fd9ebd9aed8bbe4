import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../container.js';
import { AppError } from '../domain/errors.js';
import type { RateLimitDecision } from '../domain/ratelimit/rate-limiter.js';
import { findNul } from '../domain/conversations/input-text.js';
import { idParams } from './schemas.js';

export function rateLimitHeaders(d: RateLimitDecision, nowMs = Date.now()): Record<string, string> {
  const resetIn = Math.max(0, d.resetAt - Math.floor(nowMs / 1000));
  return {
    'x-ratelimit-limit': String(d.limit),
    'x-ratelimit-remaining': String(d.remaining),
    'x-ratelimit-reset': String(d.resetAt),
    // IETF draft-ietf-httpapi-ratelimit-headers: a policy named "hourly", quota q over window w seconds.
    'ratelimit-policy': `"hourly";q=${d.limit};w=3600`,
    ratelimit: `"hourly";r=${d.remaining};t=${resetIn}`,
  };
}

/**
 * The conversation id to read along with the rate-limit hit, on routes that ask for it. Only an id
 * that can pass the route's validation: a bad one is answered by validation (400), never read.
 */
function preloadId(request: FastifyRequest): string | undefined {
  if (!request.routeOptions.config.preloadConversation) return undefined;
  const params = request.params as { id?: unknown };
  return idParams.safeParse(params).success && findNul(params.id) === null ? (params.id as string) : undefined;
}

/** onRequest hook for the authenticated API: 401/403 before the body is even read, then the rolling-hour limit. */
export function authenticate(container: Container) {
  return async function authHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const principal = await container.accounts.authenticate(request.headers.authorization);
    request.principal = principal;
    request.log = request.log.child({ userId: principal.userId });
    const nowMs = container.clock().getTime();
    const decision = await container.rateLimiter.hit(principal.userId, principal.limits.requestsPerHour, nowMs, preloadId(request));
    if (decision.conversation !== undefined) request.preloadedConversation = decision.conversation;
    const headers = rateLimitHeaders(decision, nowMs);
    reply.headers(headers);
    if (!decision.allowed) {
      throw new AppError('rate_limited', `Rate limit of ${decision.limit} requests per hour exceeded; retry in ${decision.retryAfter} s`, {
        headers: { ...headers, 'retry-after': String(decision.retryAfter) },
      });
    }
  };
}
