import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isStatementTimeout } from '../db/unavailable.js';
import { AppError, type ErrorDetails } from '../domain/errors.js';

/** Retry-After while the database is unavailable: long enough not to hammer a recovering server. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetails };
}

function validationDetails(error: {
  validation: { instancePath: string; message?: string; keyword?: string; params?: { keys?: unknown } }[];
  validationContext?: string;
}): ErrorDetails {
  const details: ErrorDetails = {};
  for (const v of error.validation) {
    const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    // Unknown keys are reported on their parent; name each unknown field instead.
    if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params?.keys) && v.params.keys.length) {
      for (const k of v.params.keys) details[path ? `${path}.${String(k)}` : String(k)] ??= 'Unknown field';
      continue;
    }
    const key = path || error.validationContext || 'body';
    details[key] ??= v.message ?? 'Invalid value';
  }
  return details;
}

/** Maps every error to the Convo envelope in one place; unknown errors become a bare 500. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      const body: ErrorBody = { error: { code: err.code, message: err.message } };
      if (err.details) body.error.details = err.details;
      if (err.status >= 500) request.log.error({ err }, 'request failed');
      return reply.status(err.status).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as { validationContext?: string }).validationContext ?? 'request';
      return reply.status(400).send({
        error: { code: 'validation_error', message: `Invalid ${where === 'querystring' ? 'query parameters' : where}`, details: validationDetails(err as any) },
      } satisfies ErrorBody);
    }
    const fe = err as FastifyError;
    // Upload limits first: they carry statusCode 413 too, and deserve the more precise message.
    if (fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.code === 'FST_FILES_LIMIT' || fe.code === 'FST_PARTS_LIMIT') {
      return reply.status(413).send({ error: { code: 'payload_too_large', message: 'Uploaded file is too large' } });
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
      return reply.status(413).send({ error: { code: 'payload_too_large', message: 'Request body is too large' } });
    }
    if (fe.validation) {
      return reply.status(400).send({ error: { code: 'validation_error', message: fe.message, details: validationDetails(fe as any) } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Malformed JSON, wrong content type, empty body with a JSON content type, and the like.
      const code = fe.statusCode === 404 ? 'not_found' : 'validation_error';
      const status = code === 'validation_error' ? 400 : fe.statusCode;
      return reply.status(status).send({ error: { code, message: fe.message, details: code === 'validation_error' ? { body: fe.message } : undefined } });
    }
    if (isStatementTimeout(err)) {
      // A statement ran past its limit (COLLOQUY_STATEMENT_TIMEOUT_MS, or COLLOQUY_SEARCH_TIMEOUT_MS
      // for a list search) and PostgreSQL stopped it: nothing was changed, and the pool is free again.
      request.log.warn({ url: request.url.split('?')[0] }, 'statement time limit reached');
      return reply
        .status(503)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send({
          error: { code: 'service_unavailable', message: 'The request took longer than its time limit and was stopped; narrow a search (rarer words, a since filter) or try again shortly' },
        } satisfies ErrorBody);
    }
    if (isDatabaseUnavailable(err)) {
      // Worth retrying: the database is down or cannot write; it says so instead of a bare 500.
      // Code and message only: driver errors can carry the statement and its parameters (transcript text).
      const e = err as { code?: unknown; message?: unknown };
      request.log.warn({ code: e.code, reason: e.message }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send({ error: { code: 'service_unavailable', message: 'The database is unavailable; try again shortly' } } satisfies ErrorBody);
    }
    if (isResponseSerializationError(err)) request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
    else request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Unexpected server error' } } satisfies ErrorBody);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } });
  });
}
