// Key points: sections, decisions, action items, participants and dates, each claim linked
// to its evidence in the transcript.
import { useState } from 'react';
import { api, orNotFound } from '../api';
import { formatCalendarDate, formatPercent, humanize } from '../format';
import { useAction, useAsync } from '../hooks';
import type { KeypointsResult } from '../types';
import { AiCostNote, AiMeta } from './AiMeta';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';
import { EvidenceLinks } from './EvidenceLinks';

export function KeypointsSection({ conversationId }: { conversationId: string }) {
  const saved = useAsync((signal) => orNotFound(api.getKeypoints(conversationId, signal)), [conversationId]);
  const [fresh, setFresh] = useState<KeypointsResult | null>(null);
  const generate = useAction((force: boolean) => api.generateKeypoints(conversationId, force));
  const result = fresh ?? saved.data ?? null;

  const onGenerate = async () => {
    const r = await generate.run(result !== null);
    if (r) setFresh(r);
  };

  const kp = result?.keypoints;
  return (
    <section className="panel" id="keypoints" aria-labelledby="keypoints-heading" aria-busy={generate.pending}>
      <div className="panel-head">
        <h2 id="keypoints-heading">Key points</h2>
        <div className="actions">
          <button
            type="button"
            className="btn btn-primary"
            data-testid="generate-keypoints"
            onClick={onGenerate}
            disabled={generate.pending}
            aria-describedby="keypoints-cost"
          >
            {generate.pending ? 'Generating…' : result ? 'Regenerate key points' : 'Generate key points'}
          </button>
          <AiCostNote id="keypoints-cost" regenerate={result !== null} />
        </div>
      </div>

      {generate.pending && <Busy label="Generating key points…" testId="keypoints-progress" />}
      <ErrorBox error={generate.error} title="Could not generate key points" onDismiss={generate.clearError} />
      <ErrorBox error={saved.error} title="Could not load key points" />
      {saved.loading && !fresh && <Busy label="Loading saved key points…" />}

      {!saved.loading && !result && !saved.error && (
        <p className="empty" data-testid="keypoints-empty">
          No key points yet. Generate them to get sections, decisions and action items.
        </p>
      )}

      {result && kp && (
        <div data-testid="keypoints-result" className="stack">
          <AiMeta cached={fresh ? fresh.cached : undefined} createdAt={result.createdAt} testId="keypoints-cost-status" />
          {kp.title && <p className="kp-title">{kp.title}</p>}
          {kp.summary && (
            <p className="kp-summary" data-testid="keypoints-summary">
              {kp.summary}
            </p>
          )}

          {kp.sections.length > 0 && (
            <div className="stack">
              {kp.sections.map((s, si) => (
                <div key={si} className="kp-section">
                  <h3>{s.heading}</h3>
                  <ul>
                    {s.points.map((p, pi) => (
                      <li key={pi}>
                        {p} <EvidenceLinks evidence={s.pointDetails?.[pi]?.evidence} />
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          )}

          <div className="kp-section">
            <h3>Decisions</h3>
            {kp.decisions.length === 0 ? (
              <p className="muted">No decisions recorded.</p>
            ) : (
              <ul data-testid="keypoints-decisions">
                {kp.decisions.map((d, i) => (
                  <li key={i}>
                    {d} <EvidenceLinks evidence={kp.decisionDetails?.[i]?.evidence} />
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div className="kp-section">
            <h3>Action items</h3>
            {kp.actionItems.length === 0 ? (
              <p className="muted">No action items.</p>
            ) : (
              <ul className="action-items" data-testid="keypoints-action-items">
                {kp.actionItems.map((a, i) => (
                  <li key={i}>
                    <span className="action-item-text">{a.item}</span>
                    <span className="action-item-meta">
                      <span>Owner: {a.owner || 'unassigned'}</span>
                      {a.priority && <span className={`badge badge-priority-${a.priority}`}>{humanize(a.priority)} priority</span>}
                      {a.dueDate && <span>Due {formatCalendarDate(a.dueDate)}</span>}
                      {typeof a.confidence === 'number' && <span className="muted">confidence {formatPercent(a.confidence)}</span>}
                    </span>
                    <EvidenceLinks evidence={a.evidence} />
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div className="kp-section">
            <h3>Participants</h3>
            {kp.participants.length === 0 ? (
              <p className="muted">No participants identified.</p>
            ) : (
              <ul className="chips" aria-label="Participants">
                {kp.participants.map((p) => (
                  <li key={p} className="chip-static">
                    {p}
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div className="kp-section">
            <h3>Important dates</h3>
            {kp.importantDates.length === 0 ? (
              <p className="muted">No dates mentioned.</p>
            ) : (
              <ul>
                {kp.importantDates.map((d, i) => (
                  <li key={i}>
                    <time dateTime={d.date}>
                      <strong>{formatCalendarDate(d.date)}</strong>
                    </time>{' '}
                    — {d.context} <EvidenceLinks evidence={d.evidence} />
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
