// Google Calendar API v3 with a stored OAuth refresh token: exchange it for an access token at the
// token endpoint, then list the calendar's instances in order (events.list, singleEvents=true).
// Both endpoints come from configuration, so a self-hosted proxy or a test double can stand in.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { meetingLinkFrom } from './meeting-link.js';
import { firstUpcoming, type CalendarEvent, type EventQuery, type PlacedEvent } from './types.js';
import { DAY_MS, Zones, type Wall } from './zones.js';

export interface GoogleSource {
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  calendarId: string | null;
}

export interface GoogleEndpoints {
  tokenUrl: string;
  /** Base of the Calendar API, e.g. https://www.googleapis.com/calendar/v3 */
  apiUrl: string;
}

export const GOOGLE_TIMEOUT_MS = 10_000;

const tokenResponse = z.looseObject({ access_token: z.string().min(1), expires_in: z.coerce.number().optional() });
const errorResponse = z.looseObject({
  error: z.union([z.string(), z.looseObject({ code: z.number().optional(), message: z.string().optional(), errors: z.array(z.looseObject({ reason: z.string().optional() })).optional() })]).optional(),
  error_description: z.string().optional(),
});

const when = z.looseObject({ date: z.string().optional(), dateTime: z.string().optional(), timeZone: z.string().optional() });
const googleEvent = z.looseObject({
  id: z.string(),
  status: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  hangoutLink: z.string().optional(),
  start: when.optional(),
  end: when.optional(),
  attendees: z.array(z.looseObject({ email: z.string().optional(), displayName: z.string().optional(), resource: z.boolean().optional() })).optional(),
  conferenceData: z.looseObject({ entryPoints: z.array(z.looseObject({ entryPointType: z.string().optional(), uri: z.string().optional() })).optional() }).optional(),
});
const eventsResponse = z.looseObject({ timeZone: z.string().optional(), items: z.array(z.unknown()).default([]) });

const upstream = (message: string) => new AppError('upstream_error', message);
const reconnect = (message: string, field: string) =>
  new AppError('validation_error', `${message} Connect the calendar again with PUT /api/v1/calendar/source.`, { details: { [field]: message } });

interface CachedToken {
  token: string;
  expiresAt: number;
}

export interface GoogleClientOptions extends GoogleEndpoints {
  now: () => number;
  timeoutMs?: number;
}

export class GoogleCalendarClient {
  // Access tokens live an hour; reusing one saves a token round trip on every request.
  private readonly tokens = new Map<string, CachedToken>();

  constructor(private readonly opts: GoogleClientOptions) {}

  private async call(url: string, init: RequestInit, what: string): Promise<{ status: number; json: unknown }> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? GOOGLE_TIMEOUT_MS) });
    } catch (err) {
      const timedOut = (err as Error)?.name === 'TimeoutError';
      throw upstream(timedOut ? `Google ${what} did not answer within ${Math.round((this.opts.timeoutMs ?? GOOGLE_TIMEOUT_MS) / 1000)} s` : `Google ${what} could not be reached`);
    }
    const body = await res.text();
    let json: unknown = null;
    try {
      json = body ? JSON.parse(body) : null;
    } catch {
      if (res.ok) throw upstream(`Google ${what} answered with something other than JSON`);
    }
    return { status: res.status, json };
  }

  private cacheKey(src: GoogleSource): string {
    return createHash('sha256').update(`${src.clientId}\n${src.refreshToken}`).digest('hex');
  }

  async accessToken(src: GoogleSource, fresh = false): Promise<string> {
    const key = this.cacheKey(src);
    const cached = this.tokens.get(key);
    if (!fresh && cached && cached.expiresAt > this.opts.now()) return cached.token;
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: src.refreshToken, client_id: src.clientId, client_secret: src.clientSecret });
    const { status, json } = await this.call(
      this.opts.tokenUrl,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() },
      'sign-in',
    );
    if (status >= 200 && status < 300) {
      const parsed = tokenResponse.safeParse(json);
      if (!parsed.success) throw upstream('Google sign-in answered without an access token');
      const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
      // Renew a minute early so a token never expires between the check and the call.
      this.tokens.set(key, { token: parsed.data.access_token, expiresAt: this.opts.now() + Math.max(0, lifetimeMs - 60_000) });
      this.sweep();
      return parsed.data.access_token;
    }
    this.tokens.delete(key);
    const err = errorResponse.safeParse(json);
    const code = err.success && typeof err.data.error === 'string' ? err.data.error : null;
    if (code === 'invalid_grant') throw reconnect('Google refused the refresh token (invalid_grant): it was revoked or has expired.', 'refreshToken');
    if (code === 'invalid_client' || code === 'unauthorized_client') {
      throw reconnect(`Google refused the OAuth client (${code}): check the client id and secret.`, 'clientId');
    }
    if (status >= 400 && status < 500 && code) throw reconnect(`Google sign-in failed (${code}).`, 'refreshToken');
    throw upstream(`Google sign-in answered HTTP ${status}`);
  }

  private sweep(): void {
    if (this.tokens.size < 1000) return;
    const now = this.opts.now();
    for (const [k, v] of this.tokens) if (v.expiresAt <= now) this.tokens.delete(k);
  }

  async listEvents(src: GoogleSource, q: EventQuery): Promise<CalendarEvent[]> {
    const calendarId = src.calendarId || 'primary';
    const params = new URLSearchParams({
      timeMin: q.timeMin.toISOString(),
      maxResults: String(q.maxResults),
      singleEvents: 'true',
      orderBy: 'startTime',
    });
    const url = `${this.opts.apiUrl}/calendars/${encodeURIComponent(calendarId)}/events?${params}`;
    let result = await this.call(url, { headers: { authorization: `Bearer ${await this.accessToken(src)}`, accept: 'application/json' } }, 'Calendar');
    if (result.status === 401) {
      // The cached access token was revoked early; one fresh exchange settles whether the grant still stands.
      result = await this.call(url, { headers: { authorization: `Bearer ${await this.accessToken(src, true)}`, accept: 'application/json' } }, 'Calendar');
    }
    const { status, json } = result;
    if (status === 404) throw reconnect(`Google Calendar has no calendar "${calendarId}" that this account can read.`, 'calendarId');
    if (status === 401) throw reconnect('Google Calendar refused the access token.', 'refreshToken');
    if (status === 403) {
      const err = errorResponse.safeParse(json);
      const detail = err.success && typeof err.data.error === 'object' ? err.data.error : undefined;
      const reasons = detail?.errors?.map((e) => e.reason ?? '') ?? [];
      if (reasons.some((r) => /rateLimit/i.test(r))) throw upstream('Google Calendar rate limit reached; try again shortly');
      throw reconnect(`Google Calendar refused access${detail?.message ? `: ${detail.message}` : ''}.`, 'refreshToken');
    }
    if (status < 200 || status >= 300) throw upstream(`Google Calendar answered HTTP ${status}`);
    const body = eventsResponse.safeParse(json);
    if (!body.success) throw upstream('Google Calendar answered with an unexpected body');
    const zones = new Zones();
    const calendarZone = zones.isValid(body.data.timeZone) ? body.data.timeZone : 'UTC';
    const placed = body.data.items.flatMap((raw) => {
      const item = googleEvent.safeParse(raw);
      if (!item.success) return [];
      const p = placeGoogleEvent(item.data, calendarZone, zones);
      return p ? [p] : [];
    });
    return firstUpcoming(placed, q);
  }
}

function parseDate(date: string): Wall | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? { year: +m[1], month: +m[2], day: +m[3], hour: 0, minute: 0, second: 0 } : null;
}

export function placeGoogleEvent(item: z.infer<typeof googleEvent>, calendarZone: string, zones: Zones): PlacedEvent | null {
  if (item.status === 'cancelled' || !item.start) return null;
  const zone = zones.isValid(item.start.timeZone) ? item.start.timeZone : calendarZone;
  let startMs: number;
  let endMs: number;
  let start: string;
  let end: string;
  const allDay = Boolean(item.start.date && !item.start.dateTime);
  if (allDay) {
    const first = parseDate(item.start.date!);
    if (!first) return null;
    const last = (item.end?.date && parseDate(item.end.date)) || null;
    startMs = zones.instantOf(first, zone);
    start = item.start.date!;
    if (last) {
      endMs = zones.instantOf(last, zone);
      end = item.end!.date!;
    } else {
      endMs = zones.instantOf({ ...first, day: first.day + 1 }, zone);
      end = new Date(Date.UTC(first.year, first.month - 1, first.day) + DAY_MS).toISOString().slice(0, 10);
    }
  } else {
    startMs = Date.parse(item.start.dateTime ?? '');
    if (Number.isNaN(startMs)) return null;
    const e = Date.parse(item.end?.dateTime ?? '');
    endMs = Number.isNaN(e) ? startMs : e;
    start = new Date(startMs).toISOString();
    end = new Date(endMs).toISOString();
  }
  const video = item.conferenceData?.entryPoints?.find((p) => p.entryPointType === 'video')?.uri;
  const event: CalendarEvent = {
    id: item.id,
    title: item.summary?.trim() || '(No title)',
    start,
    end,
    timeZone: zone,
    allDay,
    // Rooms and equipment are attendees to Google; they are not people in the meeting.
    attendees: (item.attendees ?? []).filter((a) => !a.resource && (a.email || a.displayName)).map((a) => ({ name: a.displayName ?? null, email: a.email ?? null })),
    location: item.location?.trim() || null,
    meetingLink: item.hangoutLink || video || meetingLinkFrom(item.location, item.description),
    ...(item.description ? { description: item.description } : {}),
  };
  return { event, startMs, endMs };
}
