// Client-side session: the API key (localStorage only, never in a URL) and the latest
// rate-limit headers. Tiny external stores, read from React with useSyncExternalStore.
import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'colloquy.apiKey';

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

function readStoredKey(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- API key

/** Why the user is looking at the sign-in page, if not by choice. */
export type SignOutReason = 'expired' | null;

const keyStore = createStore<string | null>(readStoredKey());
const reasonStore = createStore<SignOutReason>(null);

export function getApiKey(): string | null {
  return keyStore.get();
}

export function signIn(key: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Storage can be unavailable (private mode); the key then lives for this tab only.
  }
  reasonStore.set(null);
  keyStore.set(key);
}

export function signOut(reason: SignOutReason = null): void {
  try {
    window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* nothing stored */
  }
  rateLimitStore.set(null);
  reasonStore.set(reason);
  keyStore.set(null);
}

export function useApiKey(): string | null {
  return useSyncExternalStore(keyStore.subscribe, keyStore.get);
}

export function useSignOutReason(): SignOutReason {
  return useSyncExternalStore(reasonStore.subscribe, reasonStore.get);
}

// Another tab signing in or out.
window.addEventListener('storage', (e) => {
  if (e.key === STORAGE_KEY) keyStore.set(e.newValue);
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

export function useRateLimit(): RateLimitInfo | null {
  return useSyncExternalStore(rateLimitStore.subscribe, rateLimitStore.get);
}
