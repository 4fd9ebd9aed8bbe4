// Webhooks: register (URL + events; the signing secret is shown once), test, inspect the
// delivery log, replay, delete.
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { formatDateTime } from '../format';
import { useAction, useAsync } from '../hooks';
import { webhookEvents, type CreatedWebhook, type WebhookTestResult } from '../types';
import { Busy } from './Busy';
import { CopyButton } from './CopyButton';
import { DeliveryLog } from './DeliveryLog';
import { ConfirmButton } from './ConfirmButton';
import { ErrorBox } from './ErrorBox';

export function WebhooksSection() {
  const hooks = useAsync((signal) => api.listWebhooks(signal), []);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['conversation.created']);
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [tests, setTests] = useState<Record<string, WebhookTestResult>>({});
  const [openLogs, setOpenLogs] = useState<Record<string, number>>({});

  const create = useAction((u: string, ev: string[]) => api.createWebhook(u, ev));
  const remove = useAction((id: string) => api.deleteWebhook(id));
  const test = useAction((id: string) => api.testWebhook(id));

  const toggleEvent = (ev: string, on: boolean) =>
    setEvents((prev) => (on ? [...prev, ev] : prev.filter((e) => e !== ev)));

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    if (!url.trim()) return setFormError('Enter the URL that should receive events.');
    if (events.length === 0) return setFormError('Choose at least one event.');
    const ordered = webhookEvents.filter((ev) => events.includes(ev));
    const r = await create.run(url.trim(), ordered);
    if (r) {
      setCreated(r);
      setUrl('');
      hooks.reload();
    }
  };

  const onTest = async (id: string) => {
    const r = await test.run(id);
    if (r) setTests((prev) => ({ ...prev, [id]: r }));
    // Show (and refresh) the delivery log so the test attempt is visible.
    setOpenLogs((prev) => ({ ...prev, [id]: (prev[id] ?? 0) + 1 }));
  };

  const onDelete = async (id: string) => {
    const r = await remove.run(id);
    if (r) hooks.reload();
  };

  const toggleLog = (id: string) =>
    setOpenLogs((prev) => {
      const next = { ...prev };
      if (id in next) delete next[id];
      else next[id] = 0;
      return next;
    });

  return (
    <section className="panel" id="webhooks" aria-labelledby="webhooks-heading">
      <div className="panel-head">
        <h2 id="webhooks-heading">Webhooks</h2>
      </div>
      <p className="muted small">
        Events are signed with HMAC-SHA256 (<code>X-Convo-Signature</code>) and retried with backoff. HTTPS URLs only.
      </p>

      <form className="stack" onSubmit={onCreate} aria-labelledby="webhook-new-heading">
        <h3 id="webhook-new-heading">Add a webhook</h3>
        <div className="field">
          <label htmlFor="webhook-url">Endpoint URL</label>
          <input
            id="webhook-url"
            data-testid="webhook-url"
            type="url"
            inputMode="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://hooks.example.com/colloquy"
          />
        </div>
        <fieldset className="checkbox-grid">
          <legend>Events</legend>
          {webhookEvents.map((ev) => (
            <label key={ev} className="checkbox">
              <input
                type="checkbox"
                data-testid={`webhook-event-${ev}`}
                checked={events.includes(ev)}
                onChange={(e) => toggleEvent(ev, e.target.checked)}
              />
              <code>{ev}</code>
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="btn btn-primary" data-testid="webhook-create" disabled={create.pending}>
            {create.pending ? 'Adding…' : 'Add webhook'}
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setEvents([...webhookEvents])}>
            Select all events
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setEvents([])}>
            Clear events
          </button>
        </div>
        {formError && (
          <p className="field-error" role="alert">
            {formError}
          </p>
        )}
      </form>
      <ErrorBox error={create.error} title="Could not add the webhook" onDismiss={create.clearError} />

      {created && (
        <div className="secret-box" role="status">
          <p>
            <strong>Webhook added.</strong> Store this signing secret now: it is shown only once.
          </p>
          <p className="secret-row">
            <code data-testid="webhook-secret" className="secret">
              {created.secret}
            </code>
            <CopyButton text={created.secret} label="Copy secret" testId="webhook-secret-copy" />
          </p>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(null)}>
            I have stored it — hide
          </button>
        </div>
      )}

      <ErrorBox error={hooks.error} title="Could not load webhooks" />
      <ErrorBox error={test.error} title="Could not send the test event" onDismiss={test.clearError} />
      <ErrorBox error={remove.error} title="Could not delete the webhook" onDismiss={remove.clearError} />
      {hooks.loading && !hooks.data && <Busy label="Loading webhooks…" />}
      {hooks.data && hooks.data.length === 0 && <p className="muted">No webhooks yet.</p>}
      {hooks.data && hooks.data.length > 0 && (
        <ul className="stack" data-testid="webhook-list">
          {hooks.data.map((w) => {
            const result = tests[w.id];
            const logOpen = w.id in openLogs;
            return (
              <li key={w.id} className="card-item" data-testid={`webhook-${w.id}`}>
                <p className="webhook-url">
                  <code>{w.url}</code>
                  {w.disabledAt && <span className="badge badge-bad">Disabled {formatDateTime(w.disabledAt)}</span>}
                </p>
                <p className="small muted">Added {formatDateTime(w.createdAt)}</p>
                <ul className="chips" aria-label="Subscribed events">
                  {w.events.map((ev) => (
                    <li key={ev} className="chip-static">
                      {ev}
                    </li>
                  ))}
                </ul>
                <div className="actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid={`webhook-test-${w.id}`}
                    onClick={() => void onTest(w.id)}
                    disabled={test.pending}
                  >
                    Send test event
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid={`webhook-deliveries-${w.id}`}
                    aria-expanded={logOpen}
                    onClick={() => toggleLog(w.id)}
                  >
                    {logOpen ? 'Hide delivery log' : 'Delivery log'}
                  </button>
<ConfirmButton
                    label="Delete"
                    ariaLabel={`Delete webhook ${w.url}`}
                    testId={`webhook-delete-${w.id}`}
                    pending={remove.pending}
                    confirmLabel="Yes, delete"
                    pendingLabel="Deleting…"
                    message={<>Delete the webhook to {w.url}? Its events stop at once, and its delivery log goes with it.</>}
                    onConfirm={() => onDelete(w.id)}
                  />
                </div>
                {result && (
                  <p
                    className={result.delivered ? 'ok-text' : 'error-text'}
                    role="status"
                    data-testid={`webhook-test-result-${w.id}`}
                  >
                    {result.delivered ? 'Test delivered' : 'Test not delivered'}
                    {result.statusCode !== null && result.statusCode !== undefined
                      ? ` — endpoint answered HTTP ${result.statusCode}`
                      : ' — no response'}
                  </p>
                )}
                {logOpen && <DeliveryLog webhookId={w.id} version={openLogs[w.id]} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
