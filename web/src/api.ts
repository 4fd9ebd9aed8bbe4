// The dashboard's only way to the server: the public API under /api/v1 on the same origin,
// authenticated by the dashboard session's cookie (see session.ts), with its CSRF token on changes.
import { csrfToken, hasSession, recordRateLimit, signOut } from './session';
import { markCreditsStale } from './credits';
import type {
  TrackedActionItem,
  SearchConversationHit,
  SearchPage,
  ActionItemPage,
  ActionItemStatus,
  ApiKey,
  CalendarEvent,
  CalendarSource,
  CalendarSourceInput,
  Conversation,
  ConversationDetail,
  DeletedConversation,
  CreatedApiKey,
  CreatedWebhook,
  EmailDraft,
  EmailTone,
  Envelope,
  FeedbackResult,
  ImportPreview,
  Insights,
  KeypointsResult,
  ListConversationsParams,
  Profile,
  QueryResult,
  AcrossAnswer,
  ShareResult,
  Transcript,
  Webhook,
  WebhookDelivery,
  WebhookTestResult,
} from './types';

export const API_BASE = '/api/v1';

/** An error from the API envelope `{ error: { code, message, details? } }`, or a transport failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;
  /** Seconds, from `Retry-After` on 429. */
  readonly retryAfter?: number;

  constructor(status: number, code: string, message: string, details?: unknown, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

type QueryValue = string | number | boolean | null | undefined;

interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** JSON body. */
  body?: unknown;
  /** Multipart body (the browser sets the boundary). */
  form?: FormData;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

function errorFromBody(res: Response, json: unknown): ApiError {
  const retryRaw = res.headers.get('Retry-After');
  const retryAfter = retryRaw !== null && /^\d+$/.test(retryRaw.trim()) ? Number(retryRaw) : undefined;
  const err = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (err && typeof err === 'object') {
    const code = typeof err.code === 'string' ? err.code.toLowerCase() : `http_${res.status}`;
    const message = typeof err.message === 'string' ? err.message : res.statusText || 'Request failed';
    return new ApiError(res.status, code, message, err.details, retryAfter);
  }
  return new ApiError(res.status, `http_${res.status}`, `The server answered ${res.status} ${res.statusText}`.trim(), undefined, retryAfter);
}

/** The ApiError a failed response carries (for responses read outside request(), e.g. starting a session). */
export async function apiErrorOf(res: Response): Promise<ApiError> {
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  return errorFromBody(res, json);
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Envelope<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let body: BodyInit | undefined;
  if (opts.form) {
    body = opts.form;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body, signal: opts.signal, credentials: 'same-origin' });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  recordRateLimit(res.headers);

  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }

  if (!res.ok) {
    const error = errorFromBody(res, json);
    // The session ended (its key revoked, expired, signed out elsewhere): back to sign-in.
    if (res.status === 401 && hasSession()) signOut('expired');
    throw error;
  }
  // A generation may have spent a credit: the counts beside the generate buttons follow.
  if (method === 'POST' && /\/(keypoints|feedback|insights|query|email)$/.test(path)) markCreditsStale();
  // 204 No Content (or an empty 2xx): nothing to read.
  if (!text) return { data: null as T };
  if (json === null || typeof json !== 'object' || !('data' in json)) {
    throw new ApiError(res.status, 'bad_response', 'The server sent a response the dashboard could not read.');
  }
  return json as Envelope<T>;
}

async function data<T>(method: string, path: string, opts?: RequestOptions): Promise<T> {
  return (await request<T>(method, path, opts)).data;
}

const conv = (id: string) => `/conversations/${encodeURIComponent(id)}`;

// ---------------------------------------------------------------- endpoints

export const api = {
  profile: (opts?: { signal?: AbortSignal }) => data<Profile>('GET', '/user/profile', opts),
  setTimezone: (timezone: string) => data<Profile>('PATCH', '/user/profile', { body: { timezone } }),
  /** true / false, or null for the plan's default. */
  setAutoAnalyse: (autoAnalyse: boolean | null) => data<Profile>('PATCH', '/user/profile', { body: { autoAnalyse } }),

  listConversations: (params: ListConversationsParams, signal?: AbortSignal) =>
    request<Conversation[]>('GET', '/conversations', { query: { ...params }, signal }),
  getConversation: (id: string, signal?: AbortSignal) => data<ConversationDetail>('GET', conv(id), { signal }),
  renameConversation: (id: string, title: string) => data<Conversation>('PATCH', conv(id), { body: { title } }),
  deleteConversation: (id: string) => data<{ id: string; deleted: boolean }>('DELETE', conv(id)),
  listDeleted: (params: { limit?: number; offset?: number; id?: string }, signal?: AbortSignal) =>
    request<DeletedConversation[]>('GET', '/conversations/deleted', { query: params, signal }),
  restoreConversation: (id: string) => data<ConversationDetail>('POST', `${conv(id)}/restore`),
  searchAcross: async (params: { q: string; kind?: string; cursor?: string; limit?: number }, signal?: AbortSignal) =>
    (await request<SearchConversationHit[]>('GET', '/search', { query: { ...params, groupBy: 'conversation' }, signal })) as unknown as SearchPage,
  queryAcross: (query: string) => data<AcrossAnswer>('POST', '/query', { body: { query } }),
  transcript: (id: string, signal?: AbortSignal) => data<Transcript>('GET', `${conv(id)}/transcript`, { signal }),

  getKeypoints: (id: string, signal?: AbortSignal) => data<KeypointsResult>('GET', `${conv(id)}/keypoints`, { signal }),
  generateKeypoints: (id: string, forceRefresh: boolean) =>
    data<KeypointsResult>('POST', `${conv(id)}/keypoints`, { body: { forceRefresh } }),

  getFeedback: (id: string, signal?: AbortSignal) => data<FeedbackResult>('GET', `${conv(id)}/feedback`, { signal }),
  generateFeedback: (id: string, forceRefresh: boolean, userSpeakerName?: string) =>
    data<FeedbackResult>('POST', `${conv(id)}/feedback`, {
      body: userSpeakerName ? { forceRefresh, userSpeakerName } : { forceRefresh },
    }),

  getInsights: (id: string, signal?: AbortSignal) => data<Insights>('GET', `${conv(id)}/insights`, { signal }),
  generateInsights: (id: string, forceRefresh: boolean) =>
    data<Insights>('POST', `${conv(id)}/insights`, { body: { forceRefresh } }),

  query: (id: string, query: string) => data<QueryResult>('POST', `${conv(id)}/query`, { body: { query } }),
  email: (id: string, tone: EmailTone, recipientName?: string) =>
    data<EmailDraft>('POST', `${conv(id)}/email`, { body: recipientName ? { tone, recipientName } : { tone } }),

  share: (id: string) => data<ShareResult>('POST', `${conv(id)}/share`),
  unshare: (id: string) => data<{ id: string; shared: boolean }>('DELETE', `${conv(id)}/share`),

  importPreview: (form: FormData) =>
    data<ImportPreview>('POST', '/conversations/import', { form, query: { dryRun: true } }),
  importSave: (form: FormData) => data<ConversationDetail>('POST', '/conversations/import', { form }),

  listKeys: (signal?: AbortSignal) => data<ApiKey[]>('GET', '/keys', { signal }),
  createKey: (name: string) => data<CreatedApiKey>('POST', '/keys', { body: { name } }),
  revokeKey: (id: string) => data<{ id: string; revoked: boolean }>('DELETE', `/keys/${encodeURIComponent(id)}`),

  listWebhooks: (signal?: AbortSignal) => data<Webhook[]>('GET', '/webhooks', { signal }),
  createWebhook: (url: string, events: string[]) => data<CreatedWebhook>('POST', '/webhooks', { body: { url, events } }),
  deleteWebhook: (id: string) => data<{ id: string; deleted: boolean }>('DELETE', '/webhooks', { body: { id } }),
  testWebhook: (webhookId: string) => data<WebhookTestResult>('POST', '/webhooks/test', { body: { webhookId } }),
  deliveries: (id: string, signal?: AbortSignal) =>
    data<WebhookDelivery[]>('GET', `/webhooks/${encodeURIComponent(id)}/deliveries`, { signal }),
  replayDelivery: (id: string, deliveryId: string) =>
    data<unknown>('POST', `/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/replay`),

  listActionItems: async (params: { status?: ActionItemStatus; owner?: string; conversationId?: string; cursor?: string; limit?: number }, signal?: AbortSignal) =>
    (await request<TrackedActionItem[]>('GET', '/action-items', { query: params, signal })) as unknown as ActionItemPage,
  updateActionItem: (id: string, patch: { status?: ActionItemStatus; owner?: string | null; dueDate?: string | null }) =>
    data<TrackedActionItem>('PATCH', `/action-items/${encodeURIComponent(id)}`, { body: patch }),

  calendarSource: (signal?: AbortSignal) => data<CalendarSource>('GET', '/calendar/source', { signal }),
  setCalendarSource: (input: CalendarSourceInput) => data<CalendarSource>('PUT', '/calendar/source', { body: input }),
  removeCalendarSource: () => data<unknown>('DELETE', '/calendar/source'),
  calendarEvents: (params: { maxResults?: number; timeMin?: string }, signal?: AbortSignal) =>
    data<CalendarEvent[]>('GET', '/calendar/events', { query: params, signal }),
};

/** Resolves to null when the API says 404 `not_found` (e.g. an analysis never generated). */
export async function orNotFound<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (e) {
    if (isApiError(e, 'not_found')) return null;
    throw e;
  }
}
