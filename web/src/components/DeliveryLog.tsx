// Delivery attempts of one webhook, newest first, with replay.
import { api } from '../api';
import { formatDateTime, humanize } from '../format';
import { useAction, useAsync } from '../hooks';
import { Busy } from './Busy';
import { ErrorBox } from './ErrorBox';

const statusClass: Record<string, string> = {
  delivered: 'badge-good',
  failed: 'badge-bad',
  disabled: 'badge-bad',
  pending: 'badge-muted',
};

export function DeliveryLog({ webhookId, version }: { webhookId: string; version: number }) {
  const log = useAsync((signal) => api.deliveries(webhookId, signal), [webhookId, version]);
  const replay = useAction((deliveryId: string) => api.replayDelivery(webhookId, deliveryId));

  const onReplay = async (deliveryId: string) => {
    const r = await replay.run(deliveryId);
    if (r !== undefined) log.reload();
  };

  return (
    <div className="delivery-log">
      <div className="panel-head">
        <h4 id={`deliveries-${webhookId}`}>Delivery log</h4>
        <button
          type="button"
          className="btn btn-small"
          data-testid="delivery-refresh"
          onClick={log.reload}
          disabled={log.loading}
        >
          Refresh
        </button>
      </div>
      {log.loading && !log.data && <Busy label="Loading deliveries…" />}
      <ErrorBox error={log.error} title="Could not load deliveries" />
      <ErrorBox error={replay.error} title="Could not replay" onDismiss={replay.clearError} />
      {log.data && log.data.length === 0 && <p className="muted">No deliveries yet. Send a test event.</p>}
      {log.data && log.data.length > 0 && (
        <div className="table-scroll">
          <table data-testid="delivery-log" data-webhook-id={webhookId} aria-labelledby={`deliveries-${webhookId}`}>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Response</th>
                <th scope="col">Latency</th>
                <th scope="col">Created</th>
                <th scope="col">Last attempt</th>
                <th scope="col">Next attempt</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((d) => (
                <tr key={d.id} data-testid={`delivery-row-${d.id}`} data-status={d.status}>
                  <td>
                    <code>{d.event}</code>
                  </td>
                  <td>
                    <span className={`badge ${statusClass[d.status] ?? 'badge-muted'}`}>{humanize(d.status)}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.responseCode ?? '—'}</td>
                  <td>{d.latencyMs === null || d.latencyMs === undefined ? '—' : `${Math.round(d.latencyMs)} ms`}</td>
                  <td>{formatDateTime(d.createdAt)}</td>
                  <td>{d.lastAttemptAt ? formatDateTime(d.lastAttemptAt) : '—'}</td>
                  <td>{d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : '—'}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-small"
                      data-testid={`delivery-replay-${d.id}`}
                      onClick={() => void onReplay(d.id)}
                      disabled={replay.pending}
                      aria-label={`Replay ${d.event} delivery from ${formatDateTime(d.createdAt)}`}
                    >
                      Replay
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
