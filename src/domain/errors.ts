// One error type for the whole server; the HTTP layer maps `code` to a status and the
// `{ error: { code, message, details? } }` envelope in one place (src/http/error-handler.ts).
export const errorStatus = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  idempotency_conflict: 409,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  ai_limit_exceeded: 429,
  internal_error: 500,
  ai_provider_error: 502,
  upstream_error: 502,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** Per-field problems: `{ "messages.0.role": "Invalid option" }`. */
export type ErrorDetails = Record<string, string>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: ErrorDetails;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, opts: { details?: ErrorDetails; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorStatus[code];
    this.details = opts.details;
    this.headers = opts.headers;
  }
}

export const notFound = (what = 'Conversation') => new AppError('not_found', `${what} not found`);
