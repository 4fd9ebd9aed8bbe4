import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../container.js';
import { AppError } from '../domain/errors.js';
import type { RateLimitDecision } from '../domain/ratelimit/rate-limiter.js';
import { csrfMatches, dashboardRateKey } from '../domain/accounts/dashboard-sessions.js';
import type { Principal } from '../domain/accounts/service.js';
import { findNul } from '../domain/conversations/input-text.js';
import { idParams } from './schemas.js';
import { CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, readCookie } from './session-cookies.js';

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

/** Who is calling and which hourly bucket their request is counted in. */
interface Caller {
  principal: Principal;
  bucket: string;
  limit: number;
  dashboard: boolean;
}

/**
 * A request with an Authorization header is an API request, exactly as the Convo API defines it.
 * Without one, the dashboard's session cookie may stand in: its requests go to the dashboard's own
 * bucket, and anything but a read must echo the session's CSRF token.
 */
async function identify(container: Container, request: FastifyRequest): Promise<Caller> {
  const authorization = request.headers.authorization;
  const sessionToken = authorization === undefined ? readCookie(request.headers.cookie, SESSION_COOKIE) : undefined;
  if (sessionToken === undefined) {
    const principal = await container.accounts.authenticate(authorization);
    return { principal, bucket: principal.userId, limit: principal.limits.requestsPerHour, dashboard: false };
  }
  const session = await container.dashboardSessions.resolve(sessionToken);
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    if (!csrfMatches(typeof header === 'string' ? header : undefined, session.csrfToken) || request.headers['sec-fetch-site'] === 'cross-site') {
      throw new AppError('forbidden', `A change through the dashboard session needs its CSRF token in the X-CSRF-Token header`);
    }
  }
  const { principal } = session;
  return { principal, bucket: dashboardRateKey(principal.userId), limit: container.config.dashboard.requestsPerHour, dashboard: true };
}

/** "12 minutes", "1 hour": a wait as a person reads it. */
export function humanWait(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes >= 60 && minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** onRequest hook for the authenticated API: 401/403 before the body is even read, then the rolling-hour limit. */
export function authenticate(container: Container) {
  return async function authHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const caller = await identify(container, request);
    const { principal } = caller;
    request.principal = principal;
    request.log = request.log.child({ userId: principal.userId, ...(caller.dashboard ? { dashboard: true } : {}) });
    const nowMs = container.clock().getTime();
    const decision = await container.rateLimiter.hit(caller.bucket, caller.limit, nowMs, preloadId(request));
    if (decision.conversation !== undefined) request.preloadedConversation = decision.conversation;
    const headers = rateLimitHeaders(decision, nowMs);
    reply.headers(headers);
    if (!decision.allowed) {
      const message = caller.dashboard
        ? `The dashboard's limit of ${decision.limit} requests per hour is reached; retry in ${humanWait(decision.retryAfter)}`
        : `Rate limit of ${decision.limit} requests per hour exceeded; retry in ${decision.retryAfter} s`;
      throw new AppError('rate_limited', message, { headers: { ...headers, 'retry-after': String(decision.retryAfter) } });
    }
  };
}
