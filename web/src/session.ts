// Client-side session. The dashboard exchanges the API key once for a session (POST
// /api/v1/dashboard/session): the server keeps it in an HttpOnly cookie the page cannot read, and
// the page echoes the readable CSRF cookie in X-CSRF-Token on every change. The key itself is
// not kept anywhere. Dashboard requests are counted against the session's own limit, so browsing
// never spends the API quota meant for integrations. Tiny external stores, read from React with
// useSyncExternalStore.
import { useSyncExternalStore } from 'react';

/** Where older versions kept the key; read once to move such a browser to a session, then removed. */
const LEGACY_KEY = 'colloquy.apiKey';
/** Written on sign-in and sign-out so other tabs follow. */
const SIGNAL_KEY = 'colloquy.session';
const CSRF_COOKIE = 'colloquy_csrf';
const SESSION_PATH = '/api/v1/dashboard/session';

type Listener = () => void;

function createStore<T>(initial: T) {
  let value = initial;
  const listeners = new Set<Listener>();
  return {
    get: (): T => value,
    set(next: T) {
      if (Object.is(next, value)) return;
      value = next;
      for (const l of listeners) l();
    },
    subscribe(l: Listener) {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
  };
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- session

export interface SessionInfo {
  userId: string;
  /** The API key the session was started with (revoking it ends the session). */
  keyId: string;
  expiresAt: string;
  csrfToken: string;
  requestsPerHour: number;
}

/** undefined while the page is still finding out; null when signed out. */
export type SessionState = SessionInfo | null | undefined;

/** Why the user is looking at the sign-in page, if not by choice. */
export type SignOutReason = 'expired' | null;

const sessionStore = createStore<SessionState>(undefined);
const reasonStore = createStore<SignOutReason>(null);

/** The CSRF token to send: the cookie's (it follows sign-ins in other tabs), else the one we were given. */
export function csrfToken(): string | null {
  const match = document.cookie.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  const fromCookie = match ? decodeURIComponent(match.slice(CSRF_COOKIE.length + 1)) : '';
  return fromCookie || sessionStore.get()?.csrfToken || null;
}

export function hasSession(): boolean {
  return Boolean(sessionStore.get());
}

async function sessionRequest(method: string, headers: Record<string, string>): Promise<Response> {
  return fetch(SESSION_PATH, { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' });
}

async function readSession(res: Response): Promise<SessionInfo> {
  const json = (await res.json()) as { data: SessionInfo };
  return json.data;
}

function signal() {
  storage()?.setItem(SIGNAL_KEY, String(Date.now()));
}

/**
 * Starts a session with `key`; resolves to the response so the caller can show the API's error.
 * The key is sent once, in the Authorization header, and forgotten.
 */
export async function startSession(key: string): Promise<Response> {
  const res = await sessionRequest('POST', { Authorization: `Bearer ${key}` });
  if (res.ok) {
    const info = await readSession(res.clone());
    reasonStore.set(null);
    sessionStore.set(info);
    signal();
  }
  return res;
}

/** Asks the server whose session this browser has (on load, and when another tab signs in or out). */
export async function refreshSession(): Promise<void> {
  const legacy = storage()?.getItem(LEGACY_KEY);
  if (legacy) {
    storage()?.removeItem(LEGACY_KEY);
    try {
      if ((await startSession(legacy)).ok) return;
    } catch {
      /* fall through to the cookie */
    }
  }
  try {
    const res = await sessionRequest('GET', {});
    sessionStore.set(res.ok ? await readSession(res) : null);
  } catch {
    sessionStore.set(null);
  }
}

export function signOut(reason: SignOutReason = null): void {
  const token = csrfToken();
  rateLimitStore.set(null);
  reasonStore.set(reason);
  sessionStore.set(null);
  storage()?.removeItem(LEGACY_KEY);
  // Ends the session on the server and clears both cookies (also when it had already ended).
  void sessionRequest('DELETE', token ? { 'X-CSRF-Token': token } : {}).then(signal, () => undefined);
}

export function useSession(): SessionState {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}

export function useSignOutReason(): SignOutReason {
  return useSyncExternalStore(reasonStore.subscribe, reasonStore.get);
}

// Another tab signing in or out.
window.addEventListener('storage', (e) => {
  if (e.key === SIGNAL_KEY) void refreshSession();
});

// ---------------------------------------------------------------- rate limit

export interface RateLimitInfo {
  limit: number | null;
  remaining: number;
  /** Unix seconds. */
  reset: number | null;
}

const rateLimitStore = createStore<RateLimitInfo | null>(null);

function intHeader(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

export function recordRateLimit(headers: Headers): void {
  const remaining = intHeader(headers, 'X-RateLimit-Remaining');
  if (remaining === null) return;
  const prev = rateLimitStore.get();
  const next: RateLimitInfo = {
    limit: intHeader(headers, 'X-RateLimit-Limit'),
    remaining,
    reset: intHeader(headers, 'X-RateLimit-Reset'),
  };
  if (prev && prev.limit === next.limit && prev.remaining === next.remaining && prev.reset === next.reset) return;
  rateLimitStore.set(next);
}

/** The dashboard session's own request budget (not the API quota), from the latest response. */
export function useRateLimit(): RateLimitInfo | null {
  return useSyncExternalStore(rateLimitStore.subscribe, rateLimitStore.get);
}
