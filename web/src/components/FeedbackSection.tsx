// Coaching feedback for one speaker: overall score, top priority, category scores, talk
// metrics and timeline, strengths, growth areas and an action plan.
import { useEffect, useMemo, useState } from 'react';
import { api, orNotFound } from '../api';
import { formatNumber, formatPercent, humanize, speakerColors } from '../format';
import { useAction, useAsync } from '../hooks';
import type { FeedbackResult } from '../types';
import { AiCostNote, AiMeta } from './AiMeta';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';
import { EvidenceLinks } from './EvidenceLinks';
import { ScoreBars } from './ScoreBars';
import { TalkTimeline } from './TalkTimeline';
import { ClaimTime } from './EvidenceLinks';

export const MIN_FEEDBACK_SEGMENTS = 10;

interface Props {
  conversationId: string;
  speakers: string[];
  segmentCount: number;
}

/** The seeds show both a fraction (0.62) and a percentage (45); accept either. */
function ratioToFraction(r: number): number {
  return r > 1 ? r / 100 : r;
}

export function FeedbackSection({ conversationId, speakers, segmentCount }: Props) {
  const saved = useAsync((signal) => orNotFound(api.getFeedback(conversationId, signal)), [conversationId]);
  const [fresh, setFresh] = useState<FeedbackResult | null>(null);
  const [speaker, setSpeaker] = useState('');
  const generate = useAction((force: boolean, name: string) =>
    api.generateFeedback(conversationId, force, name || undefined),
  );
  const result = fresh ?? saved.data ?? null;

  // Preselect the speaker a saved result was generated for.
  useEffect(() => {
    if (saved.data?.userSpeakerName && speakers.includes(saved.data.userSpeakerName)) setSpeaker(saved.data.userSpeakerName);
  }, [saved.data, speakers]);

  const onGenerate = async () => {
    const r = await generate.run(result !== null, speaker);
    if (r) setFresh(r);
  };

  const tooShort = segmentCount < MIN_FEEDBACK_SEGMENTS;
  const fb = result?.feedback;
  const metrics = fb?.metrics;
  // The transcript's speakers (plus any the metrics name), so the charts match the transcript colours.
  const colorOf = useMemo(
    () => speakerColors([...speakers, ...(metrics?.speakers.map((s) => s.speaker) ?? [])]),
    [speakers, metrics],
  );

  return (
    <section className="panel" id="feedback" aria-labelledby="feedback-heading" aria-busy={generate.pending}>
      <div className="panel-head">
        <h2 id="feedback-heading">Feedback</h2>
      </div>
      <div className="form-row">
        <label htmlFor="feedback-speaker">Give feedback to</label>
        <select
          id="feedback-speaker"
          data-testid="feedback-speaker"
          value={speaker}
          onChange={(e) => setSpeaker(e.target.value)}
        >
          <option value="">Detect automatically</option>
          {speakers.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn"
          data-testid="generate-feedback"
          onClick={onGenerate}
          disabled={generate.pending}
          aria-describedby="feedback-cost feedback-requirement"
        >
          {generate.pending ? 'Generating…' : result ? 'Regenerate feedback' : 'Generate feedback'}
        </button>
        <AiCostNote id="feedback-cost" regenerate={result !== null} />
      </div>
      <p id="feedback-requirement" className={tooShort ? 'notice' : 'muted small'}>
        Feedback needs at least {MIN_FEEDBACK_SEGMENTS} transcript segments
        {tooShort ? ` — this conversation has ${segmentCount}.` : '.'}
      </p>

      {generate.pending && <Busy label="Analysing the conversation…" testId="feedback-progress" />}
      <ErrorBox error={generate.error} title="Could not generate feedback" onDismiss={generate.clearError} />
      <ErrorBox error={saved.error} title="Could not load feedback" />
      {saved.loading && !fresh && <Busy label="Loading saved feedback…" />}
      {!saved.loading && !result && !saved.error && (
        <p className="empty" data-testid="feedback-empty">
          No feedback yet.
        </p>
      )}

      {result && fb && (
        <div className="stack" data-testid="feedback-result">
          <AiMeta cached={fresh ? fresh.cached : undefined} createdAt={result.createdAt} testId="feedback-cost-status" />
          <div className="score-line">
            <span className="score" data-testid="feedback-score">
              {formatNumber(result.overallScore ?? fb.overallScore)}
              <span className="score-of">/10</span>
            </span>
            <span>
              Overall score{result.userSpeakerName ? ` for ${result.userSpeakerName}` : ''}. Talk share{' '}
              {formatPercent(ratioToFraction(fb.talkListenRatio))}.
            </span>
          </div>

          {fb.topPriority && (
            <div className="callout">
              <h3>Top priority: {fb.topPriority.focus}</h3>
              {fb.topPriority.quote && <blockquote>“{fb.topPriority.quote}”</blockquote>}
              <p>{fb.topPriority.reason}</p>
              {fb.topPriority.alternative && fb.topPriority.alternative.trim() !== fb.topPriority.quote?.trim() && (
                <p>
                  <strong>Try instead:</strong> “{fb.topPriority.alternative}”
                </p>
              )}
            </div>
          )}

          <div className="kp-section">
            <h3>Category scores</h3>
            <ScoreBars scores={fb.categoryScores} />
          </div>

          {metrics && (
            <div className="kp-section">
              <h3>Talk metrics</h3>
              <dl className="metrics">
                <div>
                  <dt>Talk time share</dt>
                  <dd>{formatPercent(metrics.talkTimeShare)}</dd>
                </div>
                {metrics.kind === 'chat' ? (
                  <>
                    <div>
                      <dt>Turns</dt>
                      <dd>{metrics.turns ?? '—'}</dd>
                    </div>
                    <div>
                      <dt>Median reply time</dt>
                      <dd>{metrics.medianResponseSeconds == null ? '—' : `${Math.round(metrics.medianResponseSeconds)} s`}</dd>
                    </div>
                  </>
                ) : (
                  <>
                    <div>
                      <dt>Interruptions</dt>
                      <dd>{metrics.interruptions ?? '—'}</dd>
                    </div>
                    <div>
                      <dt>Questions asked</dt>
                      <dd>{metrics.questionsAsked ?? '—'}</dd>
                    </div>
                    <div>
                      <dt>Longest monologue</dt>
                      <dd>
                        {metrics.longestMonologueSeconds != null
                          ? `${Math.round(metrics.longestMonologueSeconds)} s`
                          : metrics.longestMonologueWords != null
                            ? `${metrics.longestMonologueWords} words`
                            : '—'}
                      </dd>
                    </div>
                    <div>
                      <dt>Filler words</dt>
                      <dd>{metrics.fillerRate == null ? '—' : `${formatNumber(metrics.fillerRate)} per 100 words`}</dd>
                    </div>
                    <div>
                      <dt>Pace</dt>
                      <dd>{metrics.wordsPerMinute == null ? '—' : `${Math.round(metrics.wordsPerMinute)} words/min`}</dd>
                    </div>
                  </>
                )}
              </dl>
              {metrics.speakers.length > 0 && (
                <ul className="share-bars" aria-label="Talk time share per speaker">
                  {metrics.speakers.map((s) => (
                    <li key={s.speaker}>
                      <span className="share-name">{s.speaker}</span>
                      <span className="share-track" aria-hidden="true">
                        <span
                          className="share-fill"
                          style={{ width: formatPercent(s.talkTimeShare), background: colorOf(s.speaker) }}
                        />
                      </span>
                      <span className="share-value">
                        {formatPercent(s.talkTimeShare)} · {s.words} words
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              {metrics.talkTimeline && metrics.talkTimeline.length > 0 && (
                <>
                  <h4>Talk time over the conversation</h4>
                  <TalkTimeline timeline={metrics.talkTimeline} colorOf={colorOf} />
                </>
              )}
            </div>
          )}

          <div className="kp-section">
            <h3>Strengths</h3>
            {fb.strengths.length === 0 ? (
              <p className="muted">None identified.</p>
            ) : (
              <ul className="cards">
                {fb.strengths.map((s, i) => (
                  <li key={i} className="card-item">
                    <p>
                      <span className="badge badge-good">{humanize(s.category)}</span>
                      <ClaimTime evidence={s.evidence} fallback={s.timestamp} />
                    </p>
                    <p>{s.description}</p>
                    {s.quote && <blockquote>“{s.quote}”</blockquote>}
                    <EvidenceLinks evidence={s.evidence} />
                  </li>
                ))}
              </ul>
            )}
          </div>

          <div className="kp-section">
            <h3>Growth areas</h3>
            {fb.growthAreas.length === 0 ? (
              <p className="muted">None identified.</p>
            ) : (
              <ul className="cards">
                {fb.growthAreas.map((g, i) => (
                  <li key={i} className="card-item">
                    <p>
                      <span className="badge badge-warn">{humanize(g.category)}</span>
                      <ClaimTime evidence={g.evidence} fallback={g.timestamp} />
                    </p>
                    <p>{g.description}</p>
                    {g.quote && <blockquote>“{g.quote}”</blockquote>}
                    <p>
                      <strong>Suggestion:</strong> {g.suggestion}
                    </p>
                    <EvidenceLinks evidence={g.evidence} />
                  </li>
                ))}
              </ul>
            )}
          </div>

          {fb.actionPlan.length > 0 && (
            <div className="kp-section">
              <h3>Action plan</h3>
              <ol>
                {fb.actionPlan.map((a, i) => (
                  <li key={i}>{a}</li>
                ))}
              </ol>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
