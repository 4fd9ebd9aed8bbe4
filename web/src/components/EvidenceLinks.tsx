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

/**
 * Provided by the conversation page: a segment's time as the transcript shows it (elapsed, with the
 * clock time for a title), so claims and the transcript read the same; null when it has none.
 */
export const SegmentTimeContext = createContext<(segmentIndex: number) => { elapsed: string; clock: string } | null>(() => null);

/** " at 2:00" for a claim: the elapsed time of its first evidence segment, else the time the engine gave. */
export function ClaimTime({ evidence, fallback }: { evidence?: Evidence[] | null; fallback?: string | null }) {
  const timeOf = useContext(SegmentTimeContext);
  const t = evidence?.length ? timeOf(evidence[0].segmentIndex) : null;
  if (t) {
    return (
      <span className="muted" data-testid="claim-time">
        {' '}
        at <time title={t.clock}>{t.elapsed}</time>
      </span>
    );
  }
  return fallback ? <span className="muted"> at {fallback}</span> : null;
}
