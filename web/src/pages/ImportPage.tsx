// Import a transcript file: drop or pick a file, preview what the server parsed (dry run),
// then save it and open the new conversation.
import { useRef, useState, type DragEvent } from 'react';
import { api } from '../api';
import { Busy } from '../components/Busy';
import { ErrorBox } from '../components/ErrorBox';
import { formatElapsed, localDateTimeToIso, speakerColors } from '../format';
import { useAction } from '../hooks';
import { navigate } from '../router';
import type { ImportPreview } from '../types';

const ACCEPT = '.vtt,.srt,.json,.txt,text/vtt,application/x-subrip,application/json,text/plain,audio/*,.mp3,.wav,.m4a,.aac,.ogg,.opus,.webm,.flac';
const PREVIEW_SEGMENTS = 8;

function buildForm(file: File, title: string, startTime: string): FormData {
  // Text fields first: multipart parsers that stream the file only see fields sent before it.
  const form = new FormData();
  if (title.trim()) form.append('title', title.trim());
  const iso = localDateTimeToIso(startTime);
  if (iso) form.append('startTime', iso);
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
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const dryRun = useAction((f: File) => api.importPreview(buildForm(f, title, startTime)));
  const save = useAction((f: File) => api.importSave(buildForm(f, title, startTime)));

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
    if (created) navigate(`/conversations/${encodeURIComponent(created.id)}`);
  };

  const speakers = preview ? Array.from(new Set(preview.segments.map((s) => s.speaker).filter(Boolean))) : [];
  const colorOf = speakerColors(preview ? preview.segments.map((s) => s.speaker) : []);
  const firstTs = preview?.segments.find((s) => s.timestamp)?.timestamp;
  const baseMs = firstTs ? Date.parse(firstTs) : NaN;

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
          <label htmlFor="import-start">Start time (optional)</label>
          <input
            id="import-start"
            data-testid="import-start-time"
            type="datetime-local"
            value={startTime}
            onChange={(e) => setStartTime(e.target.value)}
          />
        </div>
      </div>

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
              <dt>Segments</dt>
              <dd data-testid="import-segment-count">{preview.segments.length}</dd>
            </div>
            <div>
              <dt>Speakers</dt>
              <dd>{speakers.length}</dd>
            </div>
          </dl>
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
          <ol className="transcript">
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
