import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB, UserRow } from '../../db/schema.js';
import * as repo from '../../db/repos/accounts.js';
import { AppError } from '../errors.js';
import { isTimeZone, TIME_ZONE_HINT } from '../time-zone.js';
import type { IdGenerator } from '../ids.js';
import { generateApiKey, hashApiKey, isWellFormedKey } from './keys.js';
import { tierNames, type Tier, type TierName, type TierTable } from './tiers.js';

export interface Principal {
  userId: string;
  keyId: string;
  email: string;
  name: string;
  tier: TierName;
  limits: Tier;
}

/** The user's choice, else the plan's default: on where AI credits are unlimited, off where they are limited. */
export function autoAnalyseOf(user: Pick<UserRow, 'auto_analyse'>, limits: Tier): boolean {
  return user.auto_analyse ?? limits.aiGenerationsPerMonth === null;
}

export interface CreatedKey {
  id: string;
  key: string;
  name: string;
  prefix: string;
  createdAt: Date;
}

// PostgreSQL text cannot hold NUL, so it is refused here rather than failing in the database.
const noNul = (v: string) => !v.includes('\u0000');
const emailSchema = z.string().trim().email().max(320);
const nameSchema = z.string().trim().min(1).max(200).refine(noNul);

const LAST_USED_RESOLUTION_MS = 60_000;
// Live keys are remembered briefly so that a busy client costs one query less per request. A key
// revoked in this process is forgotten at once; other processes on the same database notice within
// this many milliseconds.
export const AUTH_CACHE_MS = 2_000;
const AUTH_CACHE_MAX = 10_000;

export class AccountsService {
  readonly #authCache = new Map<string, { row: repo.AuthRow; until: number }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly tiers: TierTable,
    private readonly newId: IdGenerator,
  ) {}

  limitsFor(tier: string): Tier {
    return this.tiers[(tierNames as readonly string[]).includes(tier) ? (tier as TierName) : 'free'];
  }

  async createUser(input: { email: string; name: string; tier: string; timezone?: string }): Promise<UserRow> {
    const email = emailSchema.safeParse(input.email);
    const name = nameSchema.safeParse(input.name);
    const details: Record<string, string> = {};
    if (!email.success) details.email = 'A valid email address is required';
    if (!name.success) details.name = 'A name of 1–200 characters (no NUL characters) is required';
    if (!(tierNames as readonly string[]).includes(input.tier)) details.tier = `One of ${tierNames.join(', ')}`;
    if (input.timezone !== undefined && !isTimeZone(input.timezone)) details.timezone = TIME_ZONE_HINT;
    if (Object.keys(details).length) throw new AppError('validation_error', 'Invalid user', { details });
    try {
      const timezone = input.timezone !== undefined ? { timezone: input.timezone } : {};
      return await repo.insertUser(this.db, { id: this.newId('usr'), email: email.data!, name: name.data!, tier: input.tier, ...timezone });
    } catch (err) {
      // The unique index on the address decides, also between concurrent creates.
      if ((err as { code?: string }).code === '23505') throw new AppError('conflict', `A user with email ${email.data} already exists`);
      throw err;
    }
  }

  async requireUserByEmail(email: string): Promise<UserRow> {
    const user = await repo.findUserByEmail(this.db, email.trim());
    if (!user) throw new AppError('not_found', `No user with email ${email}`);
    return user;
  }

  /** Sets the profile zone conversations without their own are read in. */
  async setTimezone(userId: string, timezone: string): Promise<UserRow> {
    if (!isTimeZone(timezone)) throw new AppError('validation_error', 'Unknown time zone', { details: { timezone: TIME_ZONE_HINT } });
    const row = await repo.updateUserTimezone(this.db, userId, timezone);
    if (!row) throw new AppError('not_found', 'User not found');
    return row;
  }

  /**
   * Sets the profile settings given, together (nothing changes if one is refused): `timezone`, and
   * `autoAnalyse` (null: back to the plan's default).
   */
  async updateSettings(userId: string, set: { timezone?: string; autoAnalyse?: boolean | null }): Promise<UserRow> {
    if (set.timezone !== undefined && !isTimeZone(set.timezone)) throw new AppError('validation_error', 'Unknown time zone', { details: { timezone: TIME_ZONE_HINT } });
    if (set.autoAnalyse !== undefined && set.autoAnalyse !== null && typeof set.autoAnalyse !== 'boolean') {
      throw new AppError('validation_error', 'Invalid autoAnalyse', { details: { autoAnalyse: 'Must be true, false or null (the plan default)' } });
    }
    const row = await repo.updateUserSettings(this.db, userId, {
      ...(set.timezone !== undefined ? { timezone: set.timezone } : {}),
      ...(set.autoAnalyse !== undefined ? { auto_analyse: set.autoAnalyse } : {}),
    });
    if (!row) throw new AppError('not_found', 'User not found');
    return row;
  }

  /** Whether new conversations of this user get key points in the background (see autoAnalyseOf). */
  autoAnalyse(user: Pick<UserRow, 'tier' | 'auto_analyse'>): boolean {
    return autoAnalyseOf(user, this.limitsFor(user.tier));
  }

  findUserById(id: string) {
    return repo.findUserById(this.db, id);
  }

  countUsers() {
    return repo.countUsers(this.db);
  }

  async createKey(userId: string, name?: string | null): Promise<CreatedKey> {
    const label = (name ?? '').trim() || 'default';
    if (label.length > 100) throw new AppError('validation_error', 'Invalid key name', { details: { name: 'At most 100 characters' } });
    // The user's row is locked while counting, so concurrent creates cannot both take the last slot.
    return this.db.transaction().execute(async (trx) => {
      const user = await repo.findUserById(trx, userId, { forUpdate: true });
      if (!user) throw new AppError('not_found', 'User not found');
      const max = this.limitsFor(user.tier).maxKeys;
      if (max !== null && (await repo.countActiveKeys(trx, userId)) >= max) {
        throw new AppError('forbidden', `The ${user.tier} tier allows ${max} active API key${max === 1 ? '' : 's'}; revoke one first`);
      }
      const { key, hash, prefix } = generateApiKey();
      const row = await repo.insertKey(trx, { id: this.newId('key'), user_id: userId, name: label, prefix, hash });
      return { id: row.id, key, name: row.name, prefix: row.prefix, createdAt: row.created_at };
    });
  }

  async revokeKey(id: string, userId?: string) {
    const row = await repo.revokeKey(this.db, id, userId);
    if (!row) throw new AppError('not_found', 'API key not found');
    this.#authCache.delete(row.hash);
    return row;
  }

  listKeys(userId: string) {
    return repo.listKeys(this.db, userId);
  }

  /** Resolves a bearer token to a principal; 401 for anything that is not a live key, 403 for the free tier. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new AppError('unauthorized', 'Missing or malformed Authorization header; expected "Bearer convo_…"');
    const token = match[1];
    if (!isWellFormedKey(token)) throw new AppError('unauthorized', 'Invalid API key');
    const hash = hashApiKey(token);
    const now = Date.now();
    const cached = this.#authCache.get(hash);
    const row = cached && cached.until > now ? cached.row : await repo.findKeyForAuth(this.db, hash);
    if (!row || row.revoked_at) throw new AppError('unauthorized', 'Invalid API key');
    if (!cached || cached.until <= now) {
      if (this.#authCache.size >= AUTH_CACHE_MAX) this.#authCache.clear();
      this.#authCache.set(hash, { row, until: now + AUTH_CACHE_MS });
    }
    const limits = this.limitsFor(row.tier);
    if (!limits.apiAccess) throw new AppError('forbidden', 'API access requires the Starter tier or above');
    // Recording every use would add a write to every request; minute resolution is enough to show.
    if (!row.last_used_at || now - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      row.last_used_at = new Date(now);
      await repo.touchKey(this.db, row.key_id);
    }
    return { userId: row.user_id, keyId: row.key_id, email: row.email, name: row.name, tier: row.tier as TierName, limits };
  }
}
