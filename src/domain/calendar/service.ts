import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import { fetchIcs, normalizeFeedUrl } from '../../integrations/calendar/fetch-ics.js';
import { GoogleCalendarClient, type GoogleSource } from '../../integrations/calendar/google.js';
import type { FeedExpander } from '../../integrations/calendar/expand-pool.js';
import { checkFeedText, FeedParseError } from '../../integrations/calendar/ics-parse.js';
import type { CalendarEvent } from '../../integrations/calendar/types.js';
import { checkUrl, type LookupFn } from '../../integrations/net/ssrf.js';
import { AppError } from '../errors.js';
import type { SecretBox } from '../secret-box.js';
import * as store from './store.js';

export const CONNECT_HINT =
  'Connect one with PUT /api/v1/calendar/source ({"type":"ics","url":"https://…"} or {"type":"google",…}), ' +
  "in the dashboard's settings, or with `colloquy calendar set --email <email> --ics <url>`.";

const text = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);

export const calendarSourceInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ics'), url: text(2048) }),
  z.strictObject({
    type: z.literal('google'),
    refreshToken: text(4096),
    clientId: text(1024),
    clientSecret: text(1024),
    calendarId: text(1024).optional(),
  }),
]);
export type CalendarSourceInput = z.infer<typeof calendarSourceInput>;

/** What the API shows of a source: never the refresh token or client secret. */
export interface PresentedSource {
  type: store.SourceType;
  url?: string;
  calendarId?: string;
  createdAt: string;
  updatedAt: string;
}

export const FEED_CACHE_MS = 60_000;
const MAX_CACHED_FEEDS = 500;

export interface CalendarServiceOptions {
  db: Kysely<DB>;
  config: Config['calendar'];
  clock: () => Date;
  feeds: FeedExpander;
  /** DNS for the SSRF guard; tests swap it. */
  lookup?: LookupFn;
  feedCacheMs?: number;
  icsTimeoutMs?: number;
  /** Seals the refresh token and client secret at rest; stored as given without it. */
  secrets?: SecretBox;
}

interface CachedFeed {
  key: string;
  expiresAt: number;
  /** The feed's text: parsing happens with each expansion, off the event loop. */
  feed: Promise<string>;
}

export class CalendarService {
  // Per instance (one per server), not per module: feeds of each user, kept briefly so a
  // dashboard refreshing its list does not refetch a multi-megabyte feed every time.
  private readonly feeds = new Map<string, CachedFeed>();
  private readonly google: GoogleCalendarClient;

  constructor(private readonly opts: CalendarServiceOptions) {
    this.google = new GoogleCalendarClient({ tokenUrl: opts.config.googleTokenUrl, apiUrl: opts.config.googleApiUrl, now: () => opts.clock().getTime() });
  }

  private get db() {
    return this.opts.db;
  }

  async getSource(userId: string): Promise<PresentedSource> {
    const src = await store.findSource(this.db, userId, this.opts.secrets);
    if (!src) throw new AppError('not_found', `No calendar is connected. ${CONNECT_HINT}`);
    return present(src);
  }

  async setSource(userId: string, input: CalendarSourceInput): Promise<PresentedSource> {
    let saved: store.StoredSource;
    if (input.type === 'ics') {
      const url = normalizeFeedUrl(input.url);
      await checkUrl(url, { allowPrivate: this.opts.config.allowPrivate, lookup: this.opts.lookup, field: 'url' });
      saved = await store.saveSource(this.db, userId, 'ics', { url }, this.opts.clock());
    } else {
      const config: GoogleSource = {
        refreshToken: input.refreshToken,
        clientId: input.clientId,
        clientSecret: input.clientSecret,
        calendarId: input.calendarId ?? null,
      };
      saved = await store.saveSource(this.db, userId, 'google', { ...config }, this.opts.clock(), this.opts.secrets);
    }
    this.feeds.delete(userId);
    return present(saved);
  }

  async deleteSource(userId: string): Promise<{ deleted: true }> {
    await store.deleteSource(this.db, userId);
    this.feeds.delete(userId);
    return { deleted: true };
  }

  async listEvents(userId: string, q: { timeMin?: Date; maxResults: number }): Promise<CalendarEvent[]> {
    const src = await store.findSource(this.db, userId, this.opts.secrets);
    if (!src) throw new AppError('validation_error', `No calendar is connected. ${CONNECT_HINT}`, { details: { calendar: 'No calendar source connected' } });
    const query = { timeMin: q.timeMin ?? this.opts.clock(), maxResults: q.maxResults };
    if (src.type === 'google') return this.google.listEvents(googleConfig(src.config), query);
    const zone = await store.userTimezone(this.db, userId);
    const text = await this.feed(userId, String(src.config.url ?? ''), zone);
    return this.opts.feeds.expand(text, zone, query);
  }

  private async feed(userId: string, url: string, zone: string): Promise<string> {
    const key = `${url}\n${zone}`;
    const now = this.opts.clock().getTime();
    const hit = this.feeds.get(userId);
    if (hit && hit.key === key && hit.expiresAt > now) return hit.feed;
    const feed = this.load(url);
    this.remember(userId, { key, expiresAt: now + (this.opts.feedCacheMs ?? FEED_CACHE_MS), feed });
    // Failures are not cached: the next request tries again.
    feed.catch(() => {
      if (this.feeds.get(userId)?.feed === feed) this.feeds.delete(userId);
    });
    return feed;
  }

  private async load(url: string): Promise<string> {
    const text = await fetchIcs(url, { allowPrivate: this.opts.config.allowPrivate, lookup: this.opts.lookup, timeoutMs: this.opts.icsTimeoutMs });
    try {
      checkFeedText(text);
    } catch (err) {
      if (err instanceof FeedParseError) throw new AppError('upstream_error', `The calendar feed is not usable: ${err.message}`);
      throw err;
    }
    return text;
  }

  private remember(userId: string, entry: CachedFeed): void {
    if (this.feeds.size >= MAX_CACHED_FEEDS) {
      const now = this.opts.clock().getTime();
      for (const [k, v] of this.feeds) if (v.expiresAt <= now) this.feeds.delete(k);
      // Still full of live entries: drop the oldest inserted.
      if (this.feeds.size >= MAX_CACHED_FEEDS) this.feeds.delete(this.feeds.keys().next().value!);
    }
    this.feeds.set(userId, entry);
  }
}

function googleConfig(config: Record<string, unknown>): GoogleSource {
  const str = (k: string) => (typeof config[k] === 'string' ? (config[k] as string) : '');
  return { refreshToken: str('refreshToken'), clientId: str('clientId'), clientSecret: str('clientSecret'), calendarId: str('calendarId') || null };
}

function present(src: store.StoredSource): PresentedSource {
  const base = { createdAt: src.createdAt.toISOString(), updatedAt: src.updatedAt.toISOString() };
  if (src.type === 'ics') return { type: 'ics', url: String(src.config.url ?? ''), ...base };
  return { type: 'google', calendarId: (typeof src.config.calendarId === 'string' && src.config.calendarId) || 'primary', ...base };
}
