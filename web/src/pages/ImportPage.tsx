// Import a transcript file: drop or pick a file, preview what the server parsed (dry run),
// then save it and open the new conversation.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { api } from '../api';
import { Busy } from '../components/Busy';
import { AutoAnalyseToggle } from '../components/AutoAnalyseSetting';
import { useAutoAnalyse } from '../credits';
import { ErrorBox } from '../components/ErrorBox';
import { formatDateTime, formatElapsed, localDateTimeToIso, speakerColors } from '../format';
import { baseTimeMs } from '../components/transcript-math';
import { useAction } from '../hooks';
import { navigate } from '../router';
import type { ImportPreview } from '../types';

const ACCEPT = '.vtt,.srt,.json,.txt,text/vtt,application/x-subrip,application/json,text/plain,audio/*,.mp3,.wav,.m4a,.aac,.ogg,.opus,.webm,.flac';
const PREVIEW_SEGMENTS = 8;

function buildForm(file: File, title: string, startTime: string, timeZone: string): FormData {
  // Text fields first: multipart parsers that stream the file only see fields sent before it.
  const form = new FormData();
  if (title.trim()) form.append('title', title.trim());
  const iso = localDateTimeToIso(startTime);
  if (iso) form.append('startTime', iso);
  if (timeZone.trim()) form.append('timeZone', timeZone.trim());
  form.append('file', file, file.name);
  return form;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [startTime, setStartTime] = useState('');
  // The zone relative dates ("tomorrow") are read in; the browser's, unless changed.
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone ?? '');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const auto = useAutoAnalyse();
  const dryRun = useAction((f: File) => api.importPreview(buildForm(f, title, startTime, timeZone)));
  const save = useAction((f: File) => api.importSave(buildForm(f, title, startTime, timeZone)));

  // A start time or zone typed after the preview: preview again, so its times are the ones saved.
  const firstRun = useRef(true);
  useEffect(() => {
    if (firstRun.current) {
      firstRun.current = false;
      return;
    }
    if (!file) return;
    const timer = window.setTimeout(async () => {
      const r = await dryRun.run(file);
      if (r) setPreview(r);
    }, 400);
    return () => window.clearTimeout(timer);
  }, [startTime, timeZone]);

  const choose = async (f: File | null | undefined) => {
    if (!f) return;
    setFile(f);
    setPreview(null);
    save.clearError();
    const r = await dryRun.run(f);
    if (r) setPreview(r);
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    void choose(e.dataTransfer.files?.[0]);
  };

  const onSave = async () => {
    if (!file) return;
    const created = await save.run(file);
    // With automatic analysis on, the server generates the key points: the page waits for them (a
    // recording is still being transcribed, so there is nothing to wait for yet).
    const awaiting = auto.on && created?.status === 'completed';
    if (created) navigate(`/conversations/${encodeURIComponent(created.id)}${awaiting ? '?analyse=1' : ''}`);
  };

  const speakers = preview ? Array.from(new Set(preview.segments.map((s) => s.speaker).filter(Boolean))) : [];
  const colorOf = speakerColors(preview ? preview.segments.map((s) => s.speaker) : []);
  // Elapsed times from the same reference the saved conversation uses (its start), so they agree.
  const segmentMs = preview ? preview.segments.map((s) => (s.timestamp ? Date.parse(s.timestamp) : NaN)) : [];
  const baseMs = baseTimeMs(segmentMs, preview?.startTime ? Date.parse(preview.startTime) : NaN) ?? NaN;
  const noStart = Boolean(preview) && !startTime && preview?.format !== 'json';

  return (
    <div className="page">
      <div className="page-head">
        <h1>Import a transcript</h1>
      </div>
      <p className="muted">
        WebVTT (Zoom, Teams, Meet exports), SRT, JSON segments, or plain text with <code>Name: text</code> lines; or a
        recording (MP3, WAV, M4A, OGG, WebM, FLAC), transcribed in the background when the server has speech-to-text.
        Nothing is saved until you press Save.
      </p>

      <div
        className={`dropzone${dragging ? ' dropzone-active' : ''}`}
        data-testid="import-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          <strong>Drop a transcript file here</strong> or choose one:
        </p>
        <label htmlFor="import-file" className="sr-only">
          Transcript file
        </label>
        <input
          id="import-file"
          ref={inputRef}
          data-testid="import-file-input"
          type="file"
          accept={ACCEPT}
          onChange={(e) => void choose(e.target.files?.[0])}
        />
        {file && (
          <p className="small" data-testid="import-file-name">
            {file.name} · {formatSize(file.size)}
          </p>
        )}
      </div>

      <div className="form-grid">
        <div className="field">
          <label htmlFor="import-title">Title (optional)</label>
          <input
            id="import-title"
            data-testid="import-title"
            type="text"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder={preview?.title ?? 'Taken from the file name'}
          />
        </div>
        <div className="field">
          <label htmlFor="import-start">Start time (recommended)</label>
          <input
            id="import-start"
            data-testid="import-start-time"
            type="datetime-local"
            value={startTime}
            onChange={(e) => setStartTime(e.target.value)}
            aria-describedby={noStart ? 'import-no-start' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="import-zone">Time zone</label>
          <input
            id="import-zone"
            data-testid="import-time-zone"
            type="text"
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            placeholder="e.g. Europe/Berlin"
            autoCapitalize="off"
            spellCheck={false}
          />
        </div>
      </div>
      {noStart && preview && (
        <div className="notice" role="status" id="import-no-start" data-testid="import-no-start-warning">
          <p>
            <strong>This file has no start time.</strong> Its times count from{' '}
            {preview.startTime ? formatDateTime(preview.startTime) : 'now'}, and dates it mentions (“tomorrow”, “Friday”) are read from
            that day. Enter when the meeting started, and its time zone, to date it correctly.
          </p>
        </div>
      )}

      {dryRun.pending && <Busy label="Reading the file…" testId="import-progress" />}
      <ErrorBox error={dryRun.error} title="Could not read this file" onDismiss={dryRun.clearError} />

      {preview && file && (
        <section className="panel" data-testid="import-preview" aria-labelledby="preview-heading">
          <div className="panel-head">
            <h2 id="preview-heading">Preview</h2>
            <div className="actions">
              <button
                type="button"
                className="btn btn-primary"
                data-testid="import-save"
                onClick={onSave}
                disabled={save.pending}
              >
                {save.pending ? 'Saving…' : 'Save conversation'}
              </button>
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => {
                  setFile(null);
                  setPreview(null);
                  if (inputRef.current) inputRef.current.value = '';
                }}
              >
                Start over
              </button>
            </div>
          </div>
          <dl className="metrics">
            <div>
              <dt>Format</dt>
              <dd data-testid="import-format">{preview.format.toUpperCase()}</dd>
            </div>
            <div>
              <dt>Title</dt>
              <dd>{title.trim() || preview.title || '—'}</dd>
            </div>
            <div>
              <dt>Starts</dt>
              <dd data-testid="import-starts">{preview.startTime ? formatDateTime(preview.startTime) : '—'}</dd>
            </div>
            <div>
              <dt>Segments</dt>
              <dd data-testid="import-segment-count">{preview.segments.length}</dd>
            </div>
            <div>
              <dt>Speakers</dt>
              <dd>{speakers.length}</dd>
            </div>
          </dl>
          <AutoAnalyseToggle id="auto-analyse-import" />
          {speakers.length > 0 && (
            <ul className="speaker-legend" aria-label="Speakers" data-testid="import-speakers">
              {speakers.map((s) => (
                <li key={s}>
                  <span className="swatch" style={{ background: colorOf(s) }} aria-hidden="true" />
                  {s}
                </li>
              ))}
            </ul>
          )}
          {preview.warnings && preview.warnings.length > 0 && (
            <div className="notice" data-testid="import-warnings">
              <p>
                <strong>Warnings</strong>
              </p>
              <ul>
                {preview.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </div>
          )}
          <h3>First {Math.min(PREVIEW_SEGMENTS, preview.segments.length)} segments</h3>
          <ol className="transcript import-segments">
            {preview.segments.slice(0, PREVIEW_SEGMENTS).map((s, i) => {
              const ts = s.timestamp ? Date.parse(s.timestamp) : NaN;
              return (
                <li key={i} className="segment" style={{ borderInlineStartColor: colorOf(s.speaker) }}>
                  <div className="segment-meta">
                    <span className="speaker" style={{ color: colorOf(s.speaker) }}>
                      {s.speaker || 'Unknown'}
                    </span>
                    {!Number.isNaN(ts) && !Number.isNaN(baseMs) && (
                      <span className="segment-time">{formatElapsed((ts - baseMs) / 1000)}</span>
                    )}
                  </div>
                  <p className="segment-text">{s.text}</p>
                </li>
              );
            })}
          </ol>
          {preview.segments.length > PREVIEW_SEGMENTS && (
            <p className="muted small">…and {preview.segments.length - PREVIEW_SEGMENTS} more.</p>
          )}
          <ErrorBox error={save.error} title="Could not save" onDismiss={save.clearError} />
        </section>
      )}
    </div>
  );
}
