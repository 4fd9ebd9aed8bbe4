// The transcript: virtualised (only the rows in view are in the DOM, so a 10,000-segment meeting
// opens as fast as a short one), with search inside it (next / previous), jump to a time, a
// speaker filter, and a collapsible legend with each speaker's talk time. Times read as elapsed
// time from the start everywhere, with the clock time on hover. Evidence links scroll here and
// highlight a segment.
import { memo, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatElapsed, speakerStyles, type SpeakerStyle } from '../format';
import type { Evidence, Segment } from '../types';
import { baseTimeMs, parseElapsed, talkTimes } from './transcript-math';

interface Props {
  segments: Segment[];
  /** Reference time for elapsed timestamps (the conversation start). */
  startTime?: string | null;
  highlight: Evidence | null;
  /** Shown after an evidence jump: back to the claim that cited the segment. */
  onBack?: (() => void) | null;
}

function clockTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** `text` with every case-insensitive occurrence of `needle` marked. */
function marked(text: string, needle: string): ReactNode {
  if (!needle) return text;
  const lower = text.toLowerCase();
  const out: ReactNode[] = [];
  let from = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    if (i > from) out.push(text.slice(from, i));
    out.push(<mark key={i}>{text.slice(i, i + needle.length)}</mark>);
    from = i + needle.length;
  }
  if (!out.length) return text;
  if (from < text.length) out.push(text.slice(from));
  return out;
}

interface RowProps {
  segment: Segment;
  style: SpeakerStyle;
  elapsed: number | null;
  ms: number | null;
  highlighted: boolean;
  current: boolean;
  quote?: string;
  needle: string;
}

const SegmentRow = memo(function SegmentRow({ segment, style, elapsed, ms, highlighted, current, quote, needle }: RowProps) {
  const showRole = segment.role && segment.role.toLowerCase() !== segment.speaker.toLowerCase();
  const q = highlighted && quote && segment.text.includes(quote) ? quote : '';
  return (
    <div
      id={`seg-${segment.index}`}
      data-testid={`segment-${segment.index}`}
      data-highlighted={highlighted ? 'true' : 'false'}
      data-current={current ? 'true' : undefined}
      className={`segment${highlighted ? ' segment-highlighted' : ''}${current ? ' segment-current' : ''}`}
      style={{ borderInlineStartColor: style.color, borderInlineStartStyle: style.pattern }}
      tabIndex={-1}
      aria-current={highlighted ? 'true' : undefined}
    >
      <div className="segment-meta">
        <span className="speaker" style={{ color: style.color }}>
          {segment.speaker || 'Unknown'}
        </span>
        {showRole && <span className="badge badge-muted">{segment.role}</span>}
        {ms !== null && elapsed !== null && segment.timestamp && (
          <time dateTime={segment.timestamp} title={clockTime(ms)} className="segment-time" data-testid="segment-time">
            {formatElapsed(elapsed)}
          </time>
        )}
        <span className="segment-index" aria-label={`segment ${segment.index}`}>
          #{segment.index}
        </span>
      </div>
      <p className="segment-text">{q ? marked(segment.text, q.toLowerCase()) : marked(segment.text, needle)}</p>
    </div>
  );
});

export function Transcript({ segments, startTime, highlight, onBack }: Props) {
  const times = useMemo(() => {
    const ms = segments.map((s) => (s.timestamp ? Date.parse(s.timestamp) : NaN));
    const base = baseTimeMs(ms, startTime ? Date.parse(startTime) : NaN);
    return { ms, base };
  }, [segments, startTime]);
  const elapsedAt = (i: number): number | null => {
    const m = times.ms[i];
    return Number.isNaN(m) || times.base === null ? null : (m - times.base) / 1000;
  };

  const speakers = useMemo(() => {
    const counts = new Map<string, number>();
    for (const s of segments) counts.set(s.speaker, (counts.get(s.speaker) ?? 0) + 1);
    return counts;
  }, [segments]);
  const styleOf = useMemo(() => speakerStyles(speakers.keys()), [speakers]);
  const talk = useMemo(() => talkTimes(segments, times.ms), [segments, times]);

  const [speaker, setSpeaker] = useState('');
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [current, setCurrent] = useState<number | null>(null);
  const [timeText, setTimeText] = useState('');
  const [timeError, setTimeError] = useState<string | null>(null);
  const [legendOpen, setLegendOpen] = useState(() => speakers.size <= 8);

  // Positions in `segments` shown, in order (all, or one speaker's).
  const visible = useMemo(() => {
    const out: number[] = [];
    segments.forEach((s, i) => {
      if (!speaker || s.speaker === speaker) out.push(i);
    });
    return out;
  }, [segments, speaker]);
  const rowOf = useMemo(() => new Map(visible.map((p, row) => [segments[p].index, row])), [visible, segments]);

  const needle = query.trim().toLowerCase();
  const matches = useMemo(() => {
    if (needle.length < 2) return [];
    const out: number[] = [];
    visible.forEach((p, row) => {
      if (segments[p].text.toLowerCase().includes(needle)) out.push(row);
    });
    return out;
  }, [visible, segments, needle]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    overscan: 6,
    getItemKey: (row) => segments[visible[row]].index,
  });

  /** Scrolls a row into the middle of the view, then focuses it (once it is rendered). */
  const reveal = (row: number, focus = true) => {
    virtualizer.scrollToIndex(row, { align: 'center' });
    if (!focus) return;
    const index = segments[visible[row]]?.index;
    let tries = 0;
    const tick = () => {
      const el = document.getElementById(`seg-${index}`);
      if (el) el.focus({ preventScroll: true });
      else if (tries++ < 10) requestAnimationFrame(tick);
    };
    requestAnimationFrame(() => requestAnimationFrame(tick));
  };

  // An evidence link or ?segment=N: show that segment (clearing a filter that hides it).
  useEffect(() => {
    if (!highlight) return;
    if (!rowOf.has(highlight.segmentIndex) && speaker) {
      setSpeaker('');
      return;
    }
    const row = rowOf.get(highlight.segmentIndex);
    if (row !== undefined) {
      setCurrent(null);
      reveal(row);
    }
    // Runs when a new highlight arrives (or the filter was cleared for it).
  }, [highlight, rowOf]);

  // A new search starts at its first match.
  useEffect(() => {
    setActive(0);
    if (matches.length) {
      setCurrent(matches[0]);
      reveal(matches[0], false);
    }
  }, [matches]);

  // Read from a ref, so that keys pressed faster than React renders still step one match each.
  const activeRef = useRef(0);
  activeRef.current = active;
  // Focus stays where the person is (the search box or the next/previous button), as in a browser's
  // find bar: moving it to the match would send the next Enter to the segment instead of the search.
  const step = (by: number) => {
    if (!matches.length) return;
    const next = (activeRef.current + by + matches.length) % matches.length;
    activeRef.current = next;
    setActive(next);
    setCurrent(matches[next]);
    reveal(matches[next], false);
  };

  const onJump = (e: FormEvent) => {
    e.preventDefault();
    const seconds = parseElapsed(timeText);
    if (seconds === null) return setTimeError('Enter a time such as 12:30 or 1:05:00.');
    if (times.base === null) return setTimeError('This transcript has no timestamps.');
    const row = visible.findIndex((p) => {
      const t = elapsedAt(p);
      return t !== null && t >= seconds;
    });
    setTimeError(null);
    const target = row >= 0 ? row : visible.length - 1;
    setCurrent(target);
    reveal(target);
  };

  if (segments.length === 0) {
    return (
      <p className="empty" data-testid="transcript-empty">
        This conversation has no transcript segments yet.
      </p>
    );
  }

  const totalTalk = talk.total || 1;
  const items = virtualizer.getVirtualItems();

  return (
    <div className="transcript-box">
      <div className="transcript-tools" data-testid="transcript-tools">
        <form className="transcript-find" role="search" aria-label="Search this transcript" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="transcript-search" className="sr-only">
            Search this transcript
          </label>
          <input
            id="transcript-search"
            data-testid="transcript-search"
            type="search"
            placeholder="Find in transcript"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                step(e.shiftKey ? -1 : 1);
              }
            }}
          />
          <span className="find-count" role="status" data-testid="transcript-search-count">
            {needle.length >= 2 ? (matches.length ? `${active + 1} of ${matches.length}` : 'No matches') : ''}
          </span>
          <button type="button" className="btn btn-small" data-testid="transcript-search-prev" onClick={() => step(-1)} disabled={!matches.length} aria-label="Previous match">
            ↑
          </button>
          <button type="button" className="btn btn-small" data-testid="transcript-search-next" onClick={() => step(1)} disabled={!matches.length} aria-label="Next match">
            ↓
          </button>
        </form>
        <form className="transcript-jump" onSubmit={onJump}>
          <label htmlFor="transcript-time">Go to</label>
          <input
            id="transcript-time"
            data-testid="transcript-time"
            inputMode="numeric"
            placeholder="m:ss"
            value={timeText}
            onChange={(e) => setTimeText(e.target.value)}
            aria-invalid={Boolean(timeError)}
            aria-describedby={timeError ? 'transcript-time-error' : undefined}
          />
          <button type="submit" className="btn btn-small" data-testid="transcript-time-go">
            Go
          </button>
          <label htmlFor="transcript-speaker" className="sr-only">
            Show speaker
          </label>
          <select id="transcript-speaker" data-testid="transcript-speaker" value={speaker} onChange={(e) => setSpeaker(e.target.value)}>
            <option value="">All speakers ({speakers.size})</option>
            {[...speakers].map(([name, n]) => (
              <option key={name} value={name}>
                {name || 'Unknown'} ({n})
              </option>
            ))}
          </select>
        </form>
        {timeError && (
          <p id="transcript-time-error" className="field-error" role="alert">
            {timeError}
          </p>
        )}
        {onBack && (
          <button type="button" className="btn btn-small back-to-claim" data-testid="back-to-keypoint" onClick={onBack}>
            ← Back to the key point
          </button>
        )}
      </div>

      <details className="speaker-legend-box" open={legendOpen} onToggle={(e) => setLegendOpen((e.target as HTMLDetailsElement).open)} data-testid="speaker-legend">
        <summary>
          Speakers ({speakers.size}) and talk time
        </summary>
        <ul className="speaker-legend" aria-label="Speakers and talk time">
          {[...speakers.keys()].map((s) => {
            const st = styleOf(s);
            const share = (talk.bySpeaker.get(s) ?? 0) / totalTalk;
            return (
              <li key={s} data-testid="speaker-legend-item" data-speaker={s} data-color={st.color} data-pattern={st.pattern}>
                <span className="legend-line" style={{ borderTopColor: st.color, borderTopStyle: st.pattern }} aria-hidden="true" />
                <span className="legend-name">{s || 'Unknown'}</span>
                <span className="legend-talk" data-testid="talk-time">
                  {talk.timed ? `${formatElapsed(talk.bySpeaker.get(s) ?? 0)} · ` : ''}
                  {Math.round(share * 100)}%
                </span>
                <span className="talk-bar" aria-hidden="true">
                  <span style={{ width: `${Math.max(2, share * 100)}%`, background: st.color }} />
                </span>
              </li>
            );
          })}
        </ul>
        {!talk.timed && <p className="small muted">Without timestamps, talk time is each speaker’s share of the words.</p>}
      </details>

      <div className="transcript-scroll" ref={scrollRef} data-testid="transcript-scroll">
        <ol className="transcript" data-testid="transcript" data-segments={visible.length} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const p = visible[item.index];
            const s = segments[p];
            const on = highlight?.segmentIndex === s.index;
            const ms = times.ms[p];
            return (
              <li
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="segment-row"
                aria-setsize={visible.length}
                aria-posinset={item.index + 1}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <SegmentRow
                  segment={s}
                  style={styleOf(s.speaker)}
                  elapsed={elapsedAt(p)}
                  ms={Number.isNaN(ms) ? null : ms}
                  highlighted={on}
                  current={current === item.index && !on}
                  quote={on ? highlight?.quote : undefined}
                  needle={needle.length >= 2 ? needle : ''}
                />
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
