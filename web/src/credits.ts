// The AI credits left this period, shown beside every generate button, and the "analyse new
// conversations automatically" setting. Credits come from GET /user/profile, read once and
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
  // A server without the setting (older) reads as the plan's default, as it used to.
  const on = p.profile.autoAnalyse ?? ai.limit === null;
  auto = { on, chosen: p.profile.autoAnalyseDefault === false };
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

// ---------------------------------------------------------------- auto-analysis setting

// The server's per-user setting (GET/PATCH /user/profile): the server generates key points for new
// conversations when it is on, so it follows the user to every browser and covers API imports too.
let auto: { on: boolean; chosen: boolean } | null = null;

export function setSessionUser(id: string | null): void {
  if (id === userId) return;
  userId = id;
  credits = null;
  auto = null;
  emit();
}

/**
 * Whether the server analyses new conversations automatically (null while unknown), and `set`,
 * which saves the choice on the server (rejects with the API error; the shown value stays as it was).
 */
export function useAutoAnalyse(): { on: boolean | null; chosen: boolean; set: (on: boolean) => Promise<void> } {
  useCredits();
  const value = useSyncExternalStore(subscribe, () => auto);
  return {
    on: value?.on ?? null,
    chosen: value?.chosen ?? false,
    async set(next: boolean) {
      // Shown at once; back to what it was if the server refuses.
      const was = auto;
      auto = { on: next, chosen: true };
      emit();
      try {
        rememberProfile(await api.setAutoAnalyse(next));
      } catch (err) {
        auto = was;
        emit();
        throw err;
      }
    },
  };
}
