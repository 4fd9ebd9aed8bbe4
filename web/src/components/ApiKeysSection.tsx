// API keys: list, create (the key is shown once), revoke (after a confirmation that warns when
// it is the key this browser signed in with).
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { formatDateTime } from '../format';
import { useAction, useAsync } from '../hooks';
import { signOut, useSession } from '../session';
import type { CreatedApiKey } from '../types';
import { Busy } from './Busy';
import { ConfirmButton } from './ConfirmButton';
import { CopyButton } from './CopyButton';
import { ErrorBox } from './ErrorBox';

export function ApiKeysSection() {
  const keys = useAsync((signal) => api.listKeys(signal), []);
  const session = useSession();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const create = useAction((n: string) => api.createKey(n));
  const revoke = useAction((id: string) => api.revokeKey(id));

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create.run(name.trim() || 'Dashboard key');
    if (r) {
      setCreated(r);
      setName('');
      keys.reload();
    }
  };

  const onRevoke = async (id: string, isCurrent: boolean) => {
    const r = await revoke.run(id);
    if (!r) return;
    if (isCurrent) signOut('expired');
    else keys.reload();
  };

  return (
    <section className="panel" id="keys" aria-labelledby="keys-heading">
      <div className="panel-head">
        <h2 id="keys-heading">API keys</h2>
      </div>
      <form className="input-row" onSubmit={onCreate}>
        <label htmlFor="key-name" className="sr-only">
          New key name
        </label>
        <input
          id="key-name"
          data-testid="key-name"
          type="text"
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
          placeholder="Key name, e.g. Zapier"
        />
        <button type="submit" className="btn btn-primary" data-testid="key-create" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      <ErrorBox error={create.error} title="Could not create a key" onDismiss={create.clearError} />

      {created && (
        <div className="secret-box" role="status">
          <p>
            <strong>New key “{created.name}”.</strong> Copy it now: it is shown only once and cannot be retrieved later.
          </p>
          <p className="secret-row">
            <code data-testid="new-key-value" className="secret">
              {created.key}
            </code>
            <CopyButton text={created.key} label="Copy key" testId="new-key-copy" />
          </p>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(null)}>
            I have stored it — hide
          </button>
        </div>
      )}

      <ErrorBox error={revoke.error} title="Could not revoke the key" onDismiss={revoke.clearError} />
      <ErrorBox error={keys.error} title="Could not load keys" />
      {keys.loading && !keys.data && <Busy label="Loading keys…" />}
      {keys.data && (
        <div className="table-scroll">
          <table data-testid="keys-table">
            <caption className="sr-only">Your API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => {
                const isCurrent = session?.keyId === k.id;
                return (
                  <tr key={k.id} data-testid={`key-row-${k.id}`}>
                    <td>
                      {k.name || 'Untitled'}
                      {isCurrent && <span className="badge badge-accent">this browser</span>}
                    </td>
                    <td>
                      <code>{/[.…]$/.test(k.prefix) ? k.prefix : `${k.prefix}…`}</code>
                    </td>
                    <td>{formatDateTime(k.createdAt)}</td>
                    <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'Never'}</td>
                    <td>{k.revokedAt ? `Revoked ${formatDateTime(k.revokedAt)}` : 'Active'}</td>
                    <td>
                      {!k.revokedAt && (
                        <ConfirmButton
                          label="Revoke"
                          ariaLabel={`Revoke key ${k.name || k.prefix}${isCurrent ? ' (signs you out)' : ''}`}
                          testId={`key-revoke-${k.id}`}
                          pending={revoke.pending}
                          confirmLabel={isCurrent ? 'Revoke and sign out' : 'Yes, revoke'}
                          pendingLabel="Revoking…"
                          message={
                            isCurrent ? (
                              <>
                                <strong>This is the key this browser signed in with.</strong> Revoking it signs you out here, and every
                                integration using it stops working. This cannot be undone.
                              </>
                            ) : (
                              <>Revoke “{k.name || k.prefix}”? Integrations using it stop working at once. This cannot be undone.</>
                            )
                          }
                          onConfirm={() => onRevoke(k.id, isCurrent)}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
              {keys.data.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    No keys.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
