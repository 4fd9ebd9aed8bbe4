import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import * as repo from '../../db/repos/dashboard-sessions.js';
import { AppError } from '../errors.js';
import { randomBase62, sha256Hex } from '../ids.js';
import type { AccountsService, Principal } from './service.js';
import type { TierName } from './tiers.js';

// The dashboard's session: exchanged once for a valid API key, then carried by an HttpOnly cookie.
// Requests made with it are counted in their own bucket (see rateLimitKey), never in the API quota.

const TOKEN_LENGTH = 43; // ~256 bits of base62
const TOKEN_PATTERN = /^[0-9A-Za-z]{43}$/;

export interface StartedSession {
  /** Goes only into the HttpOnly cookie. */
  token: string;
  /** Readable by the page (a second cookie) and sent back as X-CSRF-Token on state-changing requests. */
  csrfToken: string;
  expiresAt: Date;
}

export interface ResolvedSession {
  principal: Principal;
  csrfToken: string;
  expiresAt: Date;
}

/** The rate-limit bucket of a user's dashboard requests: apart from the API quota's bucket (the user id). */
export function dashboardRateKey(userId: string): string {
  return `${userId}#dashboard`;
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(expected));
}

export class DashboardSessions {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly accounts: AccountsService,
    private readonly sessionHours: number,
    private readonly clock: () => Date,
  ) {}

  async start(principal: Principal): Promise<StartedSession> {
    const token = randomBase62(TOKEN_LENGTH);
    const csrfToken = randomBase62(TOKEN_LENGTH);
    const expiresAt = new Date(this.clock().getTime() + this.sessionHours * 3_600_000);
    await repo.deleteExpiredSessions(this.db, principal.userId);
    await repo.insertSession(this.db, { id: sha256Hex(token), user_id: principal.userId, key_id: principal.keyId, csrf_token: csrfToken, expires_at: expiresAt });
    return { token, csrfToken, expiresAt };
  }

  /** The session's principal; 401 when the token is unknown, expired or its key revoked, 403 on the free tier. */
  async resolve(token: string): Promise<ResolvedSession> {
    const expired = new AppError('unauthorized', 'The dashboard session has ended; sign in again with an API key');
    if (!TOKEN_PATTERN.test(token)) throw expired;
    const row = await repo.findSessionForAuth(this.db, sha256Hex(token));
    if (!row || row.revoked_at || row.expires_at.getTime() <= this.clock().getTime()) throw expired;
    const limits = this.accounts.limitsFor(row.tier);
    if (!limits.apiAccess) throw new AppError('forbidden', 'API access requires the Starter tier or above');
    return {
      principal: { userId: row.user_id, keyId: row.key_id, email: row.email, name: row.name, tier: row.tier as TierName, limits },
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
    };
  }

  async end(token: string): Promise<void> {
    if (TOKEN_PATTERN.test(token)) await repo.deleteSession(this.db, sha256Hex(token));
  }
}
