// Small labels for a conversation's status and kind.
import { humanize } from '../format';

export function StatusBadge({ status }: { status?: string | null }) {
  if (!status) return null;
  return (
    <span className={`badge badge-status-${status}`} data-testid="conversation-status">
      <span className="sr-only">Status: </span>
      {humanize(status)}
    </span>
  );
}

export function KindBadge({ kind }: { kind?: string | null }) {
  if (!kind) return null;
  return (
    <span className="badge badge-kind" data-testid="conversation-kind">
      <span className="sr-only">Kind: </span>
      {humanize(kind)}
    </span>
  );
}
