// Key points, in the order a reader wants them: the summary, decisions and the action items as a
// checklist first, then the sections, participants and dates; each claim linked to its evidence
// in the transcript. Generating shows its progress and the credits left; with `awaitServer` (a new
// import, when the server analyses new conversations automatically) it shows the server's generation
// in progress and picks its result up, without generating a second time itself.
import { useEffect, useState } from 'react';
import { api, orNotFound } from '../api';
import { formatCalendarDate } from '../format';
import { useAction, useAsync } from '../hooks';
import type { KeypointsResult } from '../types';
import { AiCostNote, AiMeta } from './AiMeta';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';
import { EvidenceLinks } from './EvidenceLinks';
import { ActionChecklist } from './ActionChecklist';
import { creditsLeftText, markCreditsStale, useCredits } from '../credits';

/** Seconds since `running` became true, ticking once a second. */
function useElapsed(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    setSeconds(0);
    const t0 = Date.now();
    const timer = window.setInterval(() => setSeconds(Math.floor((Date.now() - t0) / 1000)), 1000);
    return () => window.clearInterval(timer);
  }, [running]);
  return seconds;
}

/** How often, and how many times, a new conversation's page looks for the key points the server is generating. */
const AWAIT_EVERY_MS = 1_000;
const AWAIT_TRIES = 90;

export function KeypointsSection({ conversationId, awaitServer = false, onResult }: { conversationId: string; awaitServer?: boolean; onResult?: (has: boolean) => void }) {
  const saved = useAsync((signal) => orNotFound(api.getKeypoints(conversationId, signal)), [conversationId]);
  const [fresh, setFresh] = useState<KeypointsResult | null>(null);
  const generate = useAction((force: boolean) => api.generateKeypoints(conversationId, force));
  const result = fresh ?? saved.data ?? null;

  const onGenerate = async () => {
    const r = await generate.run(result !== null);
    if (r) setFresh(r);
  };
  const creditState = useCredits();
  const credits = creditsLeftText(creditState);

  // A new conversation the server analyses by itself: wait for its key points (unless no credits
  // are left, when the server skips it), then show them; the Generate button stays for later.
  const outOfCredits = creditState !== null && creditState.remaining === 0;
  const [waiting, setWaiting] = useState(awaitServer);
  const waitingNow = waiting && !outOfCredits && !result && !saved.error;
  useEffect(() => {
    if (!waitingNow || saved.loading) return;
    let tries = 0;
    const ctrl = new AbortController();
    const timer = window.setInterval(async () => {
      if (++tries > AWAIT_TRIES) {
        window.clearInterval(timer);
        setWaiting(false);
        return;
      }
      const r = await orNotFound(api.getKeypoints(conversationId, ctrl.signal)).catch(() => null);
      if (r && !ctrl.signal.aborted) {
        window.clearInterval(timer);
        saved.setData(r);
        setWaiting(false);
        markCreditsStale();
      }
    }, AWAIT_EVERY_MS);
    return () => {
      ctrl.abort();
      window.clearInterval(timer);
    };
  }, [waitingNow, saved.loading, conversationId]);
  const busy = generate.pending || (waitingNow && !saved.loading);
  const elapsed = useElapsed(busy);

  useEffect(() => {
    if (!saved.loading) onResult?.(result !== null);
  }, [saved.loading, result !== null]);

  const kp = result?.keypoints;
  return (
    <section className="panel" id="keypoints" aria-labelledby="keypoints-heading" aria-busy={busy}>
      <div className="panel-head">
        <h2 id="keypoints-heading">Key points</h2>
        <div className="actions">
          <button
            type="button"
            className={result ? 'btn' : 'btn btn-primary'}
            data-testid="generate-keypoints"
            onClick={onGenerate}
            disabled={busy}
            aria-describedby="keypoints-cost"
          >
            {busy ? 'Generating…' : result ? 'Regenerate key points' : 'Generate key points'}
          </button>
          <AiCostNote id="keypoints-cost" regenerate={result !== null} />
        </div>
      </div>

      {busy && (
        <div className="generation-progress" data-testid="keypoints-progress" role="status">
          <progress aria-label="Generating key points" />
          <p>
            Generating key points{!generate.pending ? ' for this new conversation' : ''}… {elapsed > 0 ? `${elapsed} s` : ''}
            {credits && <span className="muted"> · uses 1 credit ({credits} before this one)</span>}
          </p>
        </div>
      )}
      <ErrorBox error={generate.error} title="Could not generate key points" onDismiss={generate.clearError} />
      <ErrorBox error={saved.error} title="Could not load key points" />
      {saved.loading && !fresh && <Busy label="Loading saved key points…" />}

      {!saved.loading && !result && !saved.error && !busy && (
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
            <ActionChecklist conversationId={conversationId} items={kp.actionItems} version={result.createdAt ?? ''} />
          </div>

          {kp.sections.length > 0 && (
            <div className="stack">
              {kp.sections.map((s, si) => (
                <div key={si} className="kp-section">
                  <h3>{s.heading}</h3>
                  {s.summary && <p className="kp-section-summary" data-testid="kp-section-summary">{s.summary}</p>}
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
