// Shows an API error `{ error: { code, message, details? } }` (or any thrown value) readably.
import { ApiError } from '../api';
import { formatWait } from '../format';

interface Props {
  error: unknown;
  /** What was being attempted, e.g. "Could not generate key points". */
  title?: string;
  onDismiss?: () => void;
}

const hints: Record<string, string> = {
  ai_limit_exceeded:
    'All AI credits for this billing period are used. Cached results stay free to view; credits reset at the start of the next period (see Settings → Usage).',
  forbidden: 'Your plan does not include this. API access needs the Starter tier or above; webhooks need Professional.',
  not_found: 'It may have been deleted, or it belongs to another account.',
  payload_too_large: 'The upload is too large (limits: 512 KB of content, 500 messages, 100 KB per message).',
  network_error: 'The request never reached the server.',
  unauthorized: 'The API key was rejected or the session ended. Sign in again with a valid key.',
  idempotency_conflict: 'The same idempotency key was already used with a different request.',
  ai_provider_error: 'The AI engine failed; nothing was charged. Try again in a moment.',
  unavailable: 'The server is temporarily unavailable. Try again in a moment.',
};

function detailLines(details: unknown): string[] {
  if (details === null || details === undefined) return [];
  if (Array.isArray(details)) {
    return details.map((d) => {
      if (d && typeof d === 'object') {
        const o = d as { path?: unknown; field?: unknown; message?: unknown };
        const where = Array.isArray(o.path) ? o.path.join('.') : (o.path ?? o.field);
        if (typeof o.message === 'string') return where ? `${String(where)}: ${o.message}` : o.message;
      }
      return typeof d === 'string' ? d : JSON.stringify(d);
    });
  }
  if (typeof details === 'object') {
    return Object.entries(details as Record<string, unknown>).map(
      ([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`,
    );
  }
  return [String(details)];
}

export function ErrorBox({ error, title, onDismiss }: Props) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const message = apiError ? apiError.message : error instanceof Error ? error.message : String(error);
  let hint = apiError ? hints[apiError.code] : undefined;
  if (apiError?.code === 'rate_limited') {
    hint =
      apiError.retryAfter !== undefined
        ? `Too many requests this hour. Try again in ${formatWait(apiError.retryAfter)}.`
        : 'Too many requests this hour. Wait a little before retrying.';
  }
  const lines = apiError ? detailLines(apiError.details) : [];
  if (apiError?.code === 'validation_error' && lines.length > 0) hint = 'Please correct these fields and try again:';

  return (
    <div className="error-box" role="alert" data-testid="error-message" data-error-code={apiError?.code}>
      <p className="error-title">
        <strong>{title ?? 'Something went wrong'}</strong>
        {apiError && (
          <span className="error-code">
            {apiError.code}
            {apiError.status ? ` · HTTP ${apiError.status}` : ''}
          </span>
        )}
      </p>
      <p>{message}</p>
      {hint && <p className="error-hint">{hint}</p>}
      {lines.length > 0 && (
        <ul className="error-details">
          {lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      )}
      {onDismiss && (
        <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
