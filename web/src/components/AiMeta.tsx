// What an AI result cost: a fresh generation spends one credit, a cached one is free.
import { creditsLeftText, useCredits } from '../credits';
import { formatDateTime } from '../format';

export const AI_COST_NOTE = 'Uses 1 AI credit';

interface Props {
  /** `undefined` when the result came from a GET (a saved result). */
  cached: boolean | undefined;
  createdAt?: string | null;
  testId?: string;
}

export function AiMeta({ cached, createdAt, testId }: Props) {
  const label =
    cached === true ? 'Cached, free' : cached === false ? 'New result, used 1 AI credit' : 'Saved result, free to view';
  return (
    <p className="ai-meta" data-testid={testId} data-cached={cached === undefined ? 'saved' : String(cached)}>
      <span className={`badge ${cached === false ? 'badge-accent' : 'badge-muted'}`}>{label}</span>
      {createdAt && <span className="muted"> Generated {formatDateTime(createdAt)}</span>}
    </p>
  );
}

/** The short cost line next to a generate button; referenced with aria-describedby. */
export function AiCostNote({ id, regenerate }: { id: string; regenerate?: boolean }) {
  const left = creditsLeftText(useCredits());
  return (
    <span id={id} className="cost-note">
      {regenerate ? `Regenerating: ${AI_COST_NOTE}` : `${AI_COST_NOTE} (free if already cached)`}
      {left && <span data-testid="credits-left"> · {left}</span>}
    </span>
  );
}
