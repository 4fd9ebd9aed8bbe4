// Create or revoke the public, read-only share link.
import { api } from '../api';
import { useAction } from '../hooks';
import { Busy } from './Busy';
import { CopyButton } from './CopyButton';
import { ErrorBox } from './ErrorBox';

interface Props {
  conversationId: string;
  shareUrl: string | null;
  onChange: (shareUrl: string | null) => void;
}

export function ShareSection({ conversationId, shareUrl, onChange }: Props) {
  const toggle = useAction(async () => {
    if (shareUrl) {
      await api.unshare(conversationId);
      return null;
    }
    return (await api.share(conversationId)).shareUrl;
  });

  const onToggle = async () => {
    const r = await toggle.run();
    if (r !== undefined) onChange(r);
  };

  return (
    <section className="panel" id="share" aria-labelledby="share-heading" aria-busy={toggle.pending}>
      <div className="panel-head">
        <h2 id="share-heading">Share</h2>
      </div>
      <p className="muted">
        {shareUrl
          ? 'Anyone with this link can read the transcript and its key points. Stop sharing to revoke the link.'
          : 'Create a public, read-only link to this conversation.'}
      </p>
      <div className="actions">
        <button
          type="button"
          className={`btn ${shareUrl ? 'btn-danger-outline' : ''}`.trim()}
          data-testid="share-toggle"
          data-shared={shareUrl ? 'true' : 'false'}
          onClick={onToggle}
          disabled={toggle.pending}
        >
          {shareUrl ? 'Stop sharing' : 'Create share link'}
        </button>
      </div>
      {toggle.pending && <Busy label={shareUrl ? 'Revoking the link…' : 'Creating a link…'} />}
      <ErrorBox error={toggle.error} title="Could not change sharing" onDismiss={toggle.clearError} />
      {shareUrl && (
        <p className="share-link">
          <a href={shareUrl} data-testid="share-url" target="_blank" rel="noopener noreferrer">
            {shareUrl}
          </a>{' '}
          <CopyButton text={shareUrl} label="Copy link" testId="share-copy" />
        </p>
      )}
    </section>
  );
}
