// The AI credits left this period, shown beside every generate button, and the "analyse new
// conversations automatically" preference. Credits come from GET /user/profile, read once and
// again after each generation (api.ts marks them stale).
import { useEffect, useSyncExternalStore } from 'react';
import { api } from './api';
import type { Profile } from './types';

export interface Credits {
  used: number;
  /** null: unlimited. */
  limit: number | null;
  remaining: number | null;
}

type Listener = () => void;
let credits: Credits | null = null;
let userId: string | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<Listener>();

function emit() {
  for (const l of listeners) l();
}

function subscribe(l: Listener) {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}

export function rememberProfile(p: Profile & { userId?: string }): void {
  const ai = p.apiUsage.aiGenerations;
  credits = { used: ai.used, limit: ai.limit, remaining: ai.remaining };
  emit();
}

function load(): Promise<void> {
  loading ??= api
    .profile()
    .then(rememberProfile, () => undefined)
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** After a generation: read the credits again. */
export function markCreditsStale(): void {
  void load();
}

export function useCredits(): Credits | null {
  const value = useSyncExternalStore(subscribe, () => credits);
  useEffect(() => {
    if (!credits) void load();
  }, []);
  return value;
}

/** "3 credits left", "unlimited"; null while unknown. */
export function creditsLeftText(c: Credits | null): string | null {
  if (!c) return null;
  if (c.limit === null) return 'unlimited credits';
  const left = c.remaining ?? Math.max(0, c.limit - c.used);
  return `${left} of ${c.limit} credit${c.limit === 1 ? '' : 's'} left`;
}

// ---------------------------------------------------------------- auto-analysis preference

const AUTO_KEY = 'colloquy.autoAnalyse';

function storedAuto(): boolean | null {
  try {
    const v = window.localStorage.getItem(`${AUTO_KEY}.${userId ?? ''}`);
    return v === 'on' ? true : v === 'off' ? false : null;
  } catch {
    return null;
  }
}

let autoVersion = 0;

export function setSessionUser(id: string | null): void {
  userId = id;
  credits = null;
  autoVersion++;
  emit();
}

/**
 * Whether new conversations get key points right after an import: as set in this browser, else on
 * for plans with unlimited credits and off where credits are limited. null while unknown.
 */
export function useAutoAnalyse(): { on: boolean | null; chosen: boolean; set: (on: boolean) => void } {
  const c = useCredits();
  useSyncExternalStore(subscribe, () => autoVersion);
  const stored = storedAuto();
  const on = stored ?? (c ? c.limit === null : null);
  return {
    on,
    chosen: stored !== null,
    set(next: boolean) {
      try {
        window.localStorage.setItem(`${AUTO_KEY}.${userId ?? ''}`, next ? 'on' : 'off');
      } catch {
        /* storage unavailable: the default applies */
      }
      autoVersion++;
      emit();
    },
  };
}
