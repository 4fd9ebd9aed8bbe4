// Ask across every conversation: the answer, and each claim's source conversation and segment,
// which opens that conversation at the segment.
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useAction } from '../hooks';
import { Link } from '../router';
import type { AcrossAnswer } from '../types';
import { AI_COST_NOTE } from './AiMeta';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';
import { MAX_QUERY_LENGTH } from './AskSection';
import { formatDateTime } from '../format';

export function AskAcross() {
  const [query, setQuery] = useState('');
  const [answer, setAnswer] = useState<AcrossAnswer | null>(null);
  const ask = useAction((q: string) => api.queryAcross(q));
  const tooLong = query.length > MAX_QUERY_LENGTH;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const text = query.trim();
    if (!text || tooLong || ask.pending) return;
    const r = await ask.run(text);
    if (r) setAnswer(r);
  };

  return (
    <section className="panel ask-across" aria-labelledby="ask-across-heading" aria-busy={ask.pending}>
      <h2 id="ask-across-heading">Ask across your conversations</h2>
      <form className="ask-form" onSubmit={onSubmit}>
        <label htmlFor="across-input">Question</label>
        <div className="input-row">
          <input
            id="across-input"
            data-testid="across-input"
            type="text"
            value={query}
            maxLength={MAX_QUERY_LENGTH}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="e.g. What did we decide about pricing?"
            aria-describedby="across-help"
            aria-invalid={tooLong}
          />
          <button type="submit" className="btn" data-testid="across-submit" disabled={ask.pending || query.trim() === '' || tooLong}>
            {ask.pending ? 'Asking…' : 'Ask'}
          </button>
        </div>
        <p id="across-help" className="muted small">
          Decisions and action items come from the key points you have generated · {AI_COST_NOTE} per question
        </p>
      </form>
      {ask.pending && <Busy label="Searching your conversations…" />}
      <ErrorBox error={ask.error} title="Could not answer" />
      {answer && !ask.pending && (
        <div className="answer" data-testid="across-answer">
          <p className="answer-text">{answer.response}</p>
          {answer.citations.length > 0 && (
            <>
              <h3 className="small">Sources</h3>
              <ol className="citations" data-testid="across-citations">
                {answer.citations.map((c, i) => (
                  <li key={`${c.conversationId}-${c.segmentIndex}-${i}`}>
                    <Link to={`/conversations/${encodeURIComponent(c.conversationId)}?segment=${c.segmentIndex}`} data-testid="across-citation">
                      {c.title}
                    </Link>
                    {c.startTime && <span className="muted small"> · {formatDateTime(c.startTime)}</span>}
                    <blockquote className="small">{c.quote}</blockquote>
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      )}
    </section>
  );
}
