// Sign in by pasting an API key: it is exchanged once for a dashboard session (an HttpOnly cookie)
// and not kept in the browser.
import { useState, type FormEvent } from 'react';
import { api, apiErrorOf } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { useAction, useDocumentTitle } from '../hooks';
import { startSession, useSignOutReason } from '../session';
import type { Profile } from '../types';

export const KEY_PREFIX = 'convo_';

export function SignInPage({ onSignedIn }: { onSignedIn: (p: { userId: string; profile: Profile }) => void }) {
  const [key, setKey] = useState('');
  const [show, setShow] = useState(false);
  const [formatError, setFormatError] = useState<string | null>(null);
  const reason = useSignOutReason();
  useDocumentTitle('Sign in');
  const check = useAction(async (k: string) => {
    const res = await startSession(k);
    // The API's own answer (401, 403 on the free plan, 429) is shown as any other API error.
    if (!res.ok) throw await apiErrorOf(res);
    const session = (await res.json()) as { data: { userId: string } };
    return { userId: session.data.userId, profile: await api.profile() };
  });

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const k = key.trim();
    setFormatError(null);
    if (!k) return setFormatError('Paste your API key.');
    if (!k.startsWith(KEY_PREFIX)) return setFormatError(`API keys start with “${KEY_PREFIX}”.`);
    const signedIn = await check.run(k);
    if (signedIn) onSignedIn(signedIn);
  };

  return (
    <div className="signin">
      <div className="signin-card">
        <h1>Sign in to Colloquy</h1>
        <p className="muted">
          Paste an API key to open your dashboard. The key is checked once and not stored: the browser keeps a session until you sign out. Browsing here never uses the key’s hourly API quota.
        </p>
        {reason === 'expired' && (
          <p className="notice" role="status" data-testid="signed-out-notice">
            Your session ended (its API key was revoked, or it expired). Sign in again with a valid key.
          </p>
        )}
        <form className="stack" onSubmit={onSubmit} noValidate>
          <div className="field">
            <label htmlFor="api-key">API key</label>
            <input
              id="api-key"
              data-testid="api-key-input"
              type={show ? 'text' : 'password'}
              value={key}
              onChange={(e) => setKey(e.target.value)}
              placeholder="convo_…"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              aria-invalid={Boolean(formatError)}
              aria-describedby={formatError ? 'api-key-error' : 'api-key-help'}
            />
            {formatError ? (
              <p id="api-key-error" className="field-error" role="alert">
                {formatError}
              </p>
            ) : (
              <p id="api-key-help" className="small muted">
                No key yet? An operator can create one with <code>colloquy keys create --email you@example.com</code>.
              </p>
            )}
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={show} onChange={(e) => setShow(e.target.checked)} />
            Show key
          </label>
          <button type="submit" className="btn btn-primary btn-block" data-testid="sign-in-button" disabled={check.pending}>
            {check.pending ? 'Checking…' : 'Sign in'}
          </button>
        </form>
        <ErrorBox error={check.error} title="Could not sign in" />
      </div>
    </div>
  );
}
