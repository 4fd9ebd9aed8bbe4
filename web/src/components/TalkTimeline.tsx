// Words spoken per speaker over the course of the conversation: a stacked bar chart in
// inline SVG (one bar per time bucket), with a legend and a data table.
import { useId, useMemo } from 'react';
import { speakerColors } from '../format';
import type { TimelineBucket } from '../types';

const WIDTH = 320;
const HEIGHT = 170;
const PAD_LEFT = 34;
const PAD_BOTTOM = 22;
const PAD_TOP = 8;

export function TalkTimeline({
  timeline,
  colorOf: given,
}: {
  timeline: TimelineBucket[];
  /** The conversation's speaker colours (so the chart matches the transcript). */
  colorOf?: (speaker: string) => string;
}) {
  const id = useId();
  const { buckets, speakers, words, max } = useMemo(() => {
    const bucketSet = Array.from(new Set(timeline.map((t) => t.bucket))).sort((a, b) => a - b);
    const totals = new Map<string, number>();
    const cell = new Map<string, number>();
    for (const t of timeline) {
      totals.set(t.speaker, (totals.get(t.speaker) ?? 0) + t.words);
      const k = `${t.bucket}\u0000${t.speaker}`;
      cell.set(k, (cell.get(k) ?? 0) + t.words);
    }
    const speakerList = Array.from(totals.entries())
      .sort((a, b) => b[1] - a[1])
      .map(([s]) => s);
    const get = (b: number, s: string) => cell.get(`${b}\u0000${s}`) ?? 0;
    const maxTotal = Math.max(1, ...bucketSet.map((b) => speakerList.reduce((sum, s) => sum + get(b, s), 0)));
    return { buckets: bucketSet, speakers: speakerList, words: get, max: maxTotal };
  }, [timeline]);

  const fallback = useMemo(() => speakerColors(speakers), [speakers]);
  const colorOf = given ?? fallback;
  if (buckets.length === 0) return null;

  const plotW = WIDTH - PAD_LEFT - 4;
  const plotH = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const slot = plotW / buckets.length;
  const barW = Math.max(2, slot * 0.8);
  const summary = speakers
    .map((s) => `${s}: ${buckets.reduce((sum, b) => sum + words(b, s), 0)} words`)
    .join('; ');

  return (
    <figure className="chart" data-testid="talk-timeline-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="chart-svg" role="img" aria-labelledby={`${id}-t ${id}-d`}>
        <title id={`${id}-t`}>Talk time per speaker over the conversation</title>
        <desc id={`${id}-d`}>
          {`${buckets.length} time segments, from start to end. Totals — ${summary}.`}
        </desc>
        <line x1={PAD_LEFT} y1={PAD_TOP} x2={PAD_LEFT} y2={PAD_TOP + plotH} className="chart-axis" />
        <line x1={PAD_LEFT} y1={PAD_TOP + plotH} x2={WIDTH - 4} y2={PAD_TOP + plotH} className="chart-axis" />
        <text x={PAD_LEFT - 4} y={PAD_TOP + 8} textAnchor="end" className="chart-tick">
          {max}
        </text>
        <text x={PAD_LEFT - 4} y={PAD_TOP + plotH} textAnchor="end" className="chart-tick">
          0
        </text>
        <text x={PAD_LEFT} y={HEIGHT - 6} className="chart-tick">
          Start
        </text>
        <text x={WIDTH - 4} y={HEIGHT - 6} textAnchor="end" className="chart-tick">
          End
        </text>
        {buckets.map((b, i) => {
          let y = PAD_TOP + plotH;
          const x = PAD_LEFT + i * slot + (slot - barW) / 2;
          return (
            <g key={b}>
              {speakers.map((s) => {
                const w = words(b, s);
                if (w <= 0) return null;
                const h = (w / max) * plotH;
                y -= h;
                return (
                  <rect key={s} x={x} y={y} width={barW} height={h} fill={colorOf(s)}>
                    <title>{`${s}: ${w} words`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        Words spoken per speaker in each part of the conversation (y axis: words).
        <ul className="speaker-legend" aria-label="Legend">
          {speakers.map((s) => (
            <li key={s}>
              <span className="swatch" style={{ background: colorOf(s) }} aria-hidden="true" />
              {s}
            </li>
          ))}
        </ul>
      </figcaption>
      <details className="chart-table">
        <summary>Talk timeline as a table</summary>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Part</th>
                {speakers.map((s) => (
                  <th key={s} scope="col">
                    {s}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {buckets.map((b, i) => (
                <tr key={b}>
                  <th scope="row">{i + 1}</th>
                  {speakers.map((s) => (
                    <td key={s}>{words(b, s)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
