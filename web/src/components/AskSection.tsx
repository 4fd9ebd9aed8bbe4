// Ask a question about the conversation; suggested follow-ups are clickable chips.
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useAction } from '../hooks';
import type { QueryResult } from '../types';
import { AI_COST_NOTE } from './AiMeta';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';
import { EvidenceLinks } from './EvidenceLinks';

export const MAX_QUERY_LENGTH = 500;

const DEFAULT_SUGGESTIONS = ['What were the main action items?', 'What was decided?', 'Summarize the meeting'];
const DEFAULT_CHAT_SUGGESTIONS = ['What did the user ask for?', 'Was the request resolved?', 'Summarize the conversation'];

export function AskSection({ conversationId, isChat }: { conversationId: string; isChat: boolean }) {
  const [query, setQuery] = useState('');
  const [answers, setAnswers] = useState<QueryResult[]>([]);
  const ask = useAction((q: string) => api.query(conversationId, q));

  const submit = async (q: string) => {
    const text = q.trim();
    if (!text || text.length > MAX_QUERY_LENGTH || ask.pending) return;
    setQuery(text);
    const r = await ask.run(text);
    if (r) setAnswers((prev) => [r, ...prev].slice(0, 10));
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(query);
  };

  const latest = answers[0];
  const suggestions =
    latest?.suggestedQueries && latest.suggestedQueries.length > 0
      ? latest.suggestedQueries
      : isChat
        ? DEFAULT_CHAT_SUGGESTIONS
        : DEFAULT_SUGGESTIONS;
  const tooLong = query.length > MAX_QUERY_LENGTH;

  return (
    <section className="panel" id="ask" aria-labelledby="ask-heading" aria-busy={ask.pending}>
      <div className="panel-head">
        <h2 id="ask-heading">Ask</h2>
      </div>
      <form className="ask-form" onSubmit={onSubmit}>
        <label htmlFor="query-input">Question about this conversation</label>
        <div className="input-row">
          <input
            id="query-input"
            data-testid="query-input"
            type="text"
            value={query}
            maxLength={MAX_QUERY_LENGTH}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="e.g. Who owns the follow-ups?"
            aria-describedby="query-help"
            aria-invalid={tooLong}
          />
          <button
            type="submit"
            className="btn"
            data-testid="query-submit"
            disabled={ask.pending || query.trim() === '' || tooLong}
          >
            {ask.pending ? 'Asking…' : 'Ask'}
          </button>
        </div>
        <p id="query-help" className="muted small">
          {query.length}/{MAX_QUERY_LENGTH} characters · {AI_COST_NOTE} per question
        </p>
      </form>

      <div className="suggestions">
        <p className="small muted" id="suggested-label">
          {latest ? 'Follow-up questions:' : 'Try asking:'}
        </p>
        <ul className="chips" aria-labelledby="suggested-label">
          {suggestions.map((s) => (
            <li key={s}>
              <button
                type="button"
                className="chip"
                data-testid="suggested-query"
                disabled={ask.pending}
                onClick={() => void submit(s)}
              >
                {s}
              </button>
            </li>
          ))}
        </ul>
      </div>

      {ask.pending && <Busy label="Looking through the transcript…" testId="query-progress" />}
      <ErrorBox error={ask.error} title="Could not answer" onDismiss={ask.clearError} />

      {latest && (
        <div className="answer" aria-live="polite">
          <p className="answer-q">
            <strong>Q:</strong> {latest.query}
          </p>
          <div className="answer-text" data-testid="query-answer">
            {latest.response}
          </div>
          <EvidenceLinks evidence={latest.evidence} />
        </div>
      )}
      {answers.length > 1 && (
        <details className="history">
          <summary>Earlier questions ({answers.length - 1})</summary>
          <ul className="stack">
            {answers.slice(1).map((a, i) => (
              <li key={i} className="answer">
                <p className="answer-q">
                  <strong>Q:</strong> {a.query}
                </p>
                <div className="answer-text">{a.response}</div>
                <EvidenceLinks evidence={a.evidence} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
