// Chat insights: sentiment, task completion, topics, summary and issues.
import { useState } from 'react';
import { api, orNotFound } from '../api';
import { formatNumber, humanize } from '../format';
import { useAction, useAsync } from '../hooks';
import type { Insights } from '../types';
import { AiCostNote, AiMeta } from './AiMeta';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';
import { EvidenceLinks } from './EvidenceLinks';

interface Props {
  conversationId: string;
  /** Insights embedded in GET /conversations/{id}, if any; saves a request. */
  initial?: Insights | null;
}

function taskLabel(v: boolean | null | undefined): string {
  if (v === true) return 'Yes';
  if (v === false) return 'No';
  return 'Unclear';
}

export function InsightsSection({ conversationId, initial }: Props) {
  const hasInitial = Boolean(initial && typeof initial.summary === 'string');
  const saved = useAsync(
    (signal) => (hasInitial ? Promise.resolve(initial ?? null) : orNotFound(api.getInsights(conversationId, signal))),
    [conversationId, hasInitial],
  );
  const [fresh, setFresh] = useState<Insights | null>(null);
  const generate = useAction((force: boolean) => api.generateInsights(conversationId, force));
  const result = fresh ?? saved.data ?? null;

  const onGenerate = async () => {
    const r = await generate.run(result !== null);
    if (r) setFresh(r);
  };

  const sentimentClass =
    result?.sentiment === 'positive' ? 'badge-good' : result?.sentiment === 'negative' ? 'badge-bad' : 'badge-muted';

  return (
    <section className="panel" id="insights" aria-labelledby="insights-heading" aria-busy={generate.pending}>
      <div className="panel-head">
        <h2 id="insights-heading">Insights</h2>
        <div className="actions">
          <button
            type="button"
            className="btn"
            data-testid="generate-insights"
            onClick={onGenerate}
            disabled={generate.pending}
            aria-describedby="insights-cost"
          >
            {generate.pending ? 'Generating…' : result ? 'Regenerate insights' : 'Generate insights'}
          </button>
          <AiCostNote id="insights-cost" regenerate={result !== null} />
        </div>
      </div>

      {generate.pending && <Busy label="Generating insights…" testId="insights-progress" />}
      <ErrorBox error={generate.error} title="Could not generate insights" onDismiss={generate.clearError} />
      <ErrorBox error={saved.error} title="Could not load insights" />
      {saved.loading && !fresh && <Busy label="Loading saved insights…" />}
      {!saved.loading && !result && !saved.error && (
        <p className="empty" data-testid="insights-empty">
          No insights yet. They summarise sentiment, task completion, topics and issues of a chat.
        </p>
      )}

      {result && (
        <div className="stack" data-testid="insights-result">
          <AiMeta cached={fresh ? fresh.cached : undefined} createdAt={result.createdAt} testId="insights-cost-status" />
          <dl className="metrics">
            <div>
              <dt>Sentiment</dt>
              <dd>
                <span className={`badge ${sentimentClass}`} data-testid="insights-sentiment">
                  {humanize(result.sentiment)}
                </span>
                {typeof result.sentimentScore === 'number' && (
                  <span className="muted"> score {formatNumber(result.sentimentScore, 2)}</span>
                )}
              </dd>
            </div>
            <div>
              <dt>Task completed</dt>
              <dd>{taskLabel(result.taskCompleted)}</dd>
            </div>
          </dl>
          <div className="kp-section">
            <h3>Summary</h3>
            <p data-testid="insights-summary">{result.summary}</p>
          </div>
          {result.topics.length > 0 && (
            <div className="kp-section">
              <h3>Topics</h3>
              <ul className="chips" aria-label="Topics">
                {result.topics.map((t) => (
                  <li key={t} className="chip-static">
                    {t}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {result.taskSignals && result.taskSignals.length > 0 && (
            <div className="kp-section">
              <h3>Task signals</h3>
              <ul>
                {result.taskSignals.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            </div>
          )}
          <div className="kp-section">
            <h3>Issues</h3>
            {!result.issues || result.issues.length === 0 ? (
              <p className="muted">No issues found.</p>
            ) : (
              <ul className="cards">
                {result.issues.map((issue, i) => (
                  <li key={i} className="card-item">
                    <p>
                      <span className="badge badge-bad">{humanize(issue.type)}</span>
                    </p>
                    <p>{issue.description}</p>
                    <EvidenceLinks evidence={issue.evidence} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
