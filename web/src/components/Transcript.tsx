// The transcript: one entry per segment, speakers coloured by a hash of their name,
// timestamps as elapsed time. Evidence links scroll here and highlight a segment.
import { memo, useEffect, useMemo } from 'react';
import { formatElapsed, speakerColors } from '../format';
import type { Evidence, Segment } from '../types';

interface Props {
  segments: Segment[];
  /** Reference time for elapsed timestamps (the conversation start). */
  startTime?: string | null;
  highlight: Evidence | null;
}

function splitOnQuote(text: string, quote: string | undefined): [string, string, string] | null {
  if (!quote) return null;
  const i = text.indexOf(quote);
  if (i < 0) return null;
  return [text.slice(0, i), quote, text.slice(i + quote.length)];
}

interface RowProps {
  segment: Segment;
  color: string;
  baseMs: number | null;
  highlighted: boolean;
  quote?: string;
}

const SegmentRow = memo(function SegmentRow({ segment, color, baseMs, highlighted, quote }: RowProps) {
  const ts = segment.timestamp ? Date.parse(segment.timestamp) : NaN;
  const parts = highlighted ? splitOnQuote(segment.text, quote) : null;
  const showRole = segment.role && segment.role.toLowerCase() !== segment.speaker.toLowerCase();
  return (
    <li
      id={`seg-${segment.index}`}
      data-testid={`segment-${segment.index}`}
      data-highlighted={highlighted ? 'true' : 'false'}
      className={`segment${highlighted ? ' segment-highlighted' : ''}`}
      style={{ borderInlineStartColor: color }}
      tabIndex={-1}
      aria-current={highlighted ? 'true' : undefined}
    >
      <div className="segment-meta">
        <span className="speaker" style={{ color }}>
          {segment.speaker || 'Unknown'}
        </span>
        {showRole && <span className="badge badge-muted">{segment.role}</span>}
        {!Number.isNaN(ts) && segment.timestamp && (
          <time dateTime={segment.timestamp} title={new Date(ts).toLocaleString()} className="segment-time">
            {baseMs !== null ? formatElapsed((ts - baseMs) / 1000) : new Date(ts).toLocaleTimeString()}
          </time>
        )}
        <span className="segment-index" aria-label={`segment ${segment.index}`}>
          #{segment.index}
        </span>
      </div>
      <p className="segment-text">
        {parts ? (
          <>
            {parts[0]}
            <mark>{parts[1]}</mark>
            {parts[2]}
          </>
        ) : (
          segment.text
        )}
      </p>
    </li>
  );
});

export function Transcript({ segments, startTime, highlight }: Props) {
  const baseMs = useMemo(() => {
    const start = startTime ? Date.parse(startTime) : NaN;
    const first = segments.find((s) => s.timestamp && !Number.isNaN(Date.parse(s.timestamp)));
    const firstMs = first?.timestamp ? Date.parse(first.timestamp) : NaN;
    // Elapsed time from the meeting start, or from the first timed segment when the start
    // is unknown or later than the transcript itself.
    if (!Number.isNaN(start) && (Number.isNaN(firstMs) || start <= firstMs)) return start;
    return Number.isNaN(firstMs) ? null : firstMs;
  }, [segments, startTime]);

  const speakers = useMemo(() => Array.from(new Set(segments.map((s) => s.speaker))), [segments]);
  const colorOf = useMemo(() => speakerColors(speakers), [speakers]);

  useEffect(() => {
    if (!highlight) return;
    const el = document.getElementById(`seg-${highlight.segmentIndex}`);
    if (!el) return;
    el.scrollIntoView({ block: 'center', behavior: 'auto' });
    el.focus({ preventScroll: true });
  }, [highlight]);

  if (segments.length === 0) {
    return (
      <p className="empty" data-testid="transcript-empty">
        This conversation has no transcript segments yet.
      </p>
    );
  }

  return (
    <>
      <ul className="speaker-legend" aria-label="Speakers">
        {speakers.map((s) => (
          <li key={s}>
            <span className="swatch" style={{ background: colorOf(s) }} aria-hidden="true" />
            {s}
          </li>
        ))}
      </ul>
      <ol className="transcript" data-testid="transcript">
        {segments.map((s) => {
          const on = highlight?.segmentIndex === s.index;
          return (
            <SegmentRow
              key={s.index}
              segment={s}
              color={colorOf(s.speaker)}
              baseMs={baseMs}
              highlighted={on}
              quote={on ? highlight?.quote : undefined}
            />
          );
        })}
      </ol>
    </>
  );
}
