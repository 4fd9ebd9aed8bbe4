// Plan, AI credits and rate limit, from GET /user/profile.
import { api } from '../api';
import { formatDate, formatDateTime, humanize } from '../format';
import { useAsync } from '../hooks';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';

function UsageBar({ used, limit }: { used: number; limit: number | null }) {
  if (limit === null || limit <= 0) return null;
  const pct = Math.min(100, Math.round((used / limit) * 100));
  return (
    <span className="usage-bar" aria-hidden="true">
      <span className={`usage-fill${pct >= 90 ? ' usage-fill-high' : ''}`} style={{ width: `${pct}%` }} />
    </span>
  );
}

export function UsageSection() {
  const profile = useAsync((signal) => api.profile({ signal }), []);
  const p = profile.data;
  const ai = p?.apiUsage.aiGenerations;
  const rl = p?.apiUsage.rateLimit;

  return (
    <section className="panel" id="usage" aria-labelledby="usage-heading">
      <div className="panel-head">
        <h2 id="usage-heading">Usage</h2>
        <button type="button" className="btn btn-small" onClick={profile.reload} disabled={profile.loading}>
          Refresh
        </button>
      </div>
      {profile.loading && !p && <Busy label="Loading usage…" />}
      <ErrorBox error={profile.error} title="Could not load usage" />
      {p && (
        <div className="stack">
          <p data-testid="usage-tier">
            <strong>{p.profile.name}</strong> ({p.profile.email}) · Plan <strong>{humanize(p.subscription.tier)}</strong> (
            {p.subscription.status})
            {p.subscription.currentPeriodEnd ? ` · period ends ${formatDate(p.subscription.currentPeriodEnd)}` : ''}
          </p>
          {ai && (
            <div className="usage-item" data-testid="usage-ai-credits">
              <h3>AI credits this period</h3>
              <p>
                {ai.limit === null ? (
                  <>
                    {ai.used} used · <strong>unlimited</strong>
                  </>
                ) : (
                  <>
                    <strong>{ai.remaining ?? Math.max(0, ai.limit - ai.used)}</strong> of {ai.limit} left ({ai.used} used)
                  </>
                )}
                {ai.resetsAt ? ` · resets ${formatDateTime(ai.resetsAt)}` : ''}
              </p>
              <UsageBar used={ai.used} limit={ai.limit} />
              <p className="muted small">
                Generating key points, feedback, insights, an answer or an email uses one credit. Cached results are free.
              </p>
            </div>
          )}
          {rl && (
            <div className="usage-item" data-testid="usage-rate-limit">
              <h3>API requests this hour</h3>
              <p>
                <strong>{rl.remaining}</strong> of {rl.limit} left
                {rl.resetsAt ? ` · window resets ${formatDateTime(rl.resetsAt)}` : ''}
              </p>
              <UsageBar used={rl.limit - rl.remaining} limit={rl.limit} />
              <p className="muted small">Requests made with your API keys (integrations). Browsing this dashboard does not count here.</p>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
