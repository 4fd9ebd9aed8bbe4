import { z } from 'zod';
import { dashboardRateKey, csrfMatches } from '../../domain/accounts/dashboard-sessions.js';
import { AppError } from '../../domain/errors.js';
import { humanWait, rateLimitHeaders } from '../auth.js';
import { commonErrors } from '../schemas.js';
import { CSRF_HEADER, SESSION_COOKIE, readCookie, sessionCookies } from '../session-cookies.js';
import type { App } from '../types.js';

// The dashboard's session (an addition for the dashboard; hidden from the API document): POST
// exchanges an API key, sent as the usual Bearer header, for the session cookies; GET says whose
// session it is; DELETE signs out. A form on another site can neither set the Authorization header
// nor read the answer, so it cannot sign a browser into someone else's account.

const sessionSchema = z.object({
  userId: z.string(),
  keyId: z.string(),
  expiresAt: z.string(),
  csrfToken: z.string(),
  /** The session's own hourly limit; the API quota of the plan is untouched by dashboard requests. */
  requestsPerHour: z.number(),
});

export function registerDashboardSession(app: App) {
  const { container } = app;
  const limit = container.config.dashboard.requestsPerHour;

  async function count(userId: string, reply: { headers(h: Record<string, string>): unknown }) {
    const nowMs = container.clock().getTime();
    const d = await container.rateLimiter.hit(dashboardRateKey(userId), limit, nowMs);
    const headers = rateLimitHeaders(d, nowMs);
    reply.headers(headers);
    if (!d.allowed) {
      throw new AppError('rate_limited', `The dashboard's limit of ${d.limit} requests per hour is reached; retry in ${humanWait(d.retryAfter)}`, {
        headers: { ...headers, 'retry-after': String(d.retryAfter) },
      });
    }
  }

  app.post(
    '/session',
    { schema: { hide: true, response: { 201: z.object({ data: sessionSchema }), ...commonErrors } } },
    async (request, reply) => {
      if (request.headers.authorization === undefined) {
        throw new AppError('unauthorized', 'Send the API key as "Authorization: Bearer convo_…" to start a dashboard session');
      }
      const principal = await container.accounts.authenticate(request.headers.authorization);
      await count(principal.userId, reply);
      const s = await container.dashboardSessions.start(principal);
      const maxAge = (s.expiresAt.getTime() - container.clock().getTime()) / 1000;
      reply.header('set-cookie', sessionCookies(request, container.config.publicUrl, s, maxAge));
      reply.header('cache-control', 'no-store');
      return reply.status(201).send({
        data: { userId: principal.userId, keyId: principal.keyId, expiresAt: s.expiresAt.toISOString(), csrfToken: s.csrfToken, requestsPerHour: limit },
      });
    },
  );

  app.get(
    '/session',
    { schema: { hide: true, response: { 200: z.object({ data: sessionSchema }), ...commonErrors } } },
    async (request, reply) => {
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (token === undefined) throw new AppError('unauthorized', 'No dashboard session');
      const s = await container.dashboardSessions.resolve(token);
      await count(s.principal.userId, reply);
      reply.header('cache-control', 'no-store');
      return { data: { userId: s.principal.userId, keyId: s.principal.keyId, expiresAt: s.expiresAt.toISOString(), csrfToken: s.csrfToken, requestsPerHour: limit } };
    },
  );

  app.delete(
    '/session',
    { schema: { hide: true, response: { 200: z.object({ data: z.object({ signedOut: z.literal(true) }) }), ...commonErrors } } },
    async (request, reply) => {
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (token !== undefined) {
        // A live session ends only with its CSRF token; one already gone is simply forgotten.
        const live = await container.dashboardSessions.resolve(token).catch(() => null);
        if (live) {
          const header = request.headers[CSRF_HEADER];
          if (!csrfMatches(typeof header === 'string' ? header : undefined, live.csrfToken)) {
            throw new AppError('forbidden', 'Signing out needs the session\'s CSRF token in the X-CSRF-Token header');
          }
          await container.dashboardSessions.end(token);
        }
      }
      reply.header('set-cookie', sessionCookies(request, container.config.publicUrl, null, 0));
      return { data: { signedOut: true as const } };
    },
  );
}
