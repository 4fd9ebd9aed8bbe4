// Draft a follow-up email in a chosen tone, then copy it.
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { formatDateTime, humanize } from '../format';
import { useAction } from '../hooks';
import { emailTones, type EmailDraft, type EmailTone } from '../types';
import { AI_COST_NOTE } from './AiMeta';
import { Busy } from './Busy';
import { CopyButton } from './CopyButton';
import { ErrorBox } from './ErrorBox';

export function EmailSection({ conversationId }: { conversationId: string }) {
  const [tone, setTone] = useState<EmailTone>('professional');
  const [recipient, setRecipient] = useState('');
  const [draft, setDraft] = useState<EmailDraft | null>(null);
  const generate = useAction(() => api.email(conversationId, tone, recipient.trim() || undefined));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await generate.run();
    if (r) setDraft(r);
  };

  return (
    <section className="panel" id="email" aria-labelledby="email-heading" aria-busy={generate.pending}>
      <div className="panel-head">
        <h2 id="email-heading">Follow-up email</h2>
      </div>
      <form className="form-grid" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="email-tone">Tone</label>
          <select
            id="email-tone"
            data-testid="email-tone"
            value={tone}
            onChange={(e) => setTone(e.target.value as EmailTone)}
          >
            {emailTones.map((t) => (
              <option key={t} value={t}>
                {humanize(t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="email-recipient">Recipient name (optional)</label>
          <input
            id="email-recipient"
            data-testid="email-recipient"
            type="text"
            value={recipient}
            onChange={(e) => setRecipient(e.target.value)}
            autoComplete="off"
          />
        </div>
        <div className="field field-actions">
          <button
            type="submit"
            className="btn"
            data-testid="email-generate"
            disabled={generate.pending}
            aria-describedby="email-cost"
          >
            {generate.pending ? 'Writing…' : draft ? 'Write again' : 'Write email'}
          </button>
          <span id="email-cost" className="cost-note">
            {AI_COST_NOTE}
          </span>
        </div>
      </form>

      {generate.pending && <Busy label="Writing the email…" testId="email-progress" />}
      <ErrorBox error={generate.error} title="Could not write the email" onDismiss={generate.clearError} />

      {draft && (
        <div className="email-draft stack">
          <p>
            <strong>Subject:</strong> <span data-testid="email-subject">{draft.subject}</span>
          </p>
          <div className="email-body" data-testid="email-body" tabIndex={0} aria-label="Email body">
            {draft.body}
          </div>
          <div className="actions">
            <CopyButton
              text={`Subject: ${draft.subject}\n\n${draft.body}`}
              label="Copy email"
              testId="email-copy"
            />
            {draft.generatedAt && <span className="muted small">Written {formatDateTime(draft.generatedAt)}</span>}
          </div>
          {draft.actionItems && draft.actionItems.length > 0 && (
            <details>
              <summary>Action items in this email ({draft.actionItems.length})</summary>
              <ul>
                {draft.actionItems.map((a, i) => (
                  <li key={i}>{a}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
