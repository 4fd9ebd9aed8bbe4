// Links from an analysis claim to the transcript segments that support it.
import { createContext, useContext } from 'react';
import type { Evidence } from '../types';

/**
 * Provided by the conversation page: scroll the transcript to a segment and highlight it; `from` is
 * the link pressed, for the way back.
 */
export const EvidenceJumpContext = createContext<(e: Evidence, from?: HTMLElement) => void>(() => {});

function shorten(text: string, max = 60): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function EvidenceLinks({ evidence }: { evidence?: Evidence[] | null }) {
  const jump = useContext(EvidenceJumpContext);
  if (!evidence || evidence.length === 0) return null;
  return (
    <span className="evidence">
      <span className="evidence-label">Evidence:</span>
      {evidence.map((e, i) => (
        <a
          key={`${e.segmentIndex}-${i}`}
          href={`#seg-${e.segmentIndex}`}
          className="evidence-link"
          data-testid="evidence-link"
          data-segment-index={e.segmentIndex}
          title={e.quote}
          onClick={(ev) => {
            ev.preventDefault();
            jump(e, ev.currentTarget);
          }}
        >
          {/* The accessible name contains the visible text (WCAG 2.5.3, label in name). */}
          <span className="sr-only">Show transcript segment </span>#{e.segmentIndex}
          {e.quote ? ` “${shorten(e.quote, 40)}”` : ''}
        </a>
      ))}
    </span>
  );
}
