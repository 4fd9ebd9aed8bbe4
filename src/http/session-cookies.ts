import type { FastifyRequest } from 'fastify';

// The dashboard session's two cookies. The session token is HttpOnly (page scripts never see it) and
// only sent to the API; the CSRF token is readable by the page, which echoes it in X-CSRF-Token on
// every state-changing request (double submit). Both are SameSite=Strict: another site's page
// cannot make the browser send them at all.
export const SESSION_COOKIE = 'colloquy_session';
export const CSRF_COOKIE = 'colloquy_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The value of cookie `name` in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function secure(request: FastifyRequest, publicUrl: string | null): boolean {
  return request.protocol === 'https' || Boolean(publicUrl?.startsWith('https://'));
}

/** Set-Cookie values that start a session (maxAgeSeconds > 0) or end it (0). */
export function sessionCookies(request: FastifyRequest, publicUrl: string | null, session: { token: string; csrfToken: string } | null, maxAgeSeconds: number): string[] {
  const flags = `SameSite=Strict${secure(request, publicUrl) ? '; Secure' : ''}`;
  const age = session ? Math.max(0, Math.floor(maxAgeSeconds)) : 0;
  return [
    `${SESSION_COOKIE}=${session?.token ?? ''}; Path=/api/; Max-Age=${age}; HttpOnly; ${flags}`,
    `${CSRF_COOKIE}=${session?.csrfToken ?? ''}; Path=/; Max-Age=${age}; ${flags}`,
  ];
}

/** Requests that change nothing; every other method needs the CSRF token with a session. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
