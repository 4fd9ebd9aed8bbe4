// One conversation: header (title, status, kind, date, duration), the analyses and the
// transcript side by side; evidence links scroll the transcript to the cited segment. A recording
// still being transcribed is polled until its transcript is ready (or transcription failed).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, isApiError } from '../api';
import { Busy } from '../components/Busy';
import { DeleteControls } from '../components/DeleteControls';
import { EmailSection } from '../components/EmailSection';
import { ErrorBox } from '../components/ErrorBox';
import { AskSection } from '../components/AskSection';
import { EvidenceJumpContext, SegmentTimeContext } from '../components/EvidenceLinks';
import { baseTimeMs } from '../components/transcript-math';
import { FeedbackSection } from '../components/FeedbackSection';
import { InsightsSection } from '../components/InsightsSection';
import { KeypointsSection } from '../components/KeypointsSection';
import { ShareSection } from '../components/ShareSection';
import { SpeakersSection } from '../components/SpeakersSection';
import { StatusBadge, KindBadge } from '../components/Badges';
import { TitleEditor } from '../components/TitleEditor';
import { Transcript } from '../components/Transcript';
import { formatDateTime, formatDuration, formatElapsed } from '../format';
import { useAction, useAsync, useMediaQuery } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import type { Conversation, Evidence } from '../types';

/** How often a conversation whose recording is being transcribed is read again. */
const TRANSCRIPTION_POLL_MS = 3000;

/** An audio import's transcription state (`metadata.transcription`), or null for other conversations. */
function transcriptionOf(c: Conversation | undefined): { status: string; error: string | null } | null {
  const t = (c?.metadata as { transcription?: { status?: unknown; error?: unknown } } | null | undefined)?.transcription;
  if (!t || typeof t.status !== 'string') return null;
  return { status: t.status, error: typeof t.error === 'string' ? t.error : null };
}

export function ConversationPage({ id }: { id: string }) {
  const conv = useAsync((signal) => api.getConversation(id, signal), [id]);
  const transcript = useAsync((signal) => api.transcript(id, signal), [id]);
  const [deleted, setDeleted] = useState(false);
  const [highlight, setHighlight] = useState<Evidence | null>(null);
  // A search result links here with ?segment=N: once the transcript is in, it opens at that segment.
  const { search, pathname } = useLocation();
  const linked = search.get('segment');
  // Opened right after an import with automatic analysis on: the server is generating the key points.
  const [autoAnalyse] = useState(() => search.get('analyse') === '1');
  useEffect(() => {
    if (search.get('analyse') !== null) navigate(pathname, { replace: true });
  }, []);
  useEffect(() => {
    const n = Number(linked);
    if (transcript.data && linked !== null && Number.isInteger(n) && n >= 0) setHighlight({ segmentIndex: n, quote: '' });
  }, [transcript.data, linked]);
  // A recording being transcribed: read the conversation again every few seconds until it is ready
  // or failed (and stop when the page is left); then the transcript is loaded.
  const transcription = transcriptionOf(conv.data);
  const processing = transcription?.status === 'processing' && !deleted;
  const setConv = conv.setData;
  const reloadTranscript = transcript.reload;
  useEffect(() => {
    if (!processing) return;
    const ctrl = new AbortController();
    let timer = 0;
    const poll = async () => {
      try {
        const fresh = await api.getConversation(id, ctrl.signal);
        if (ctrl.signal.aborted) return;
        if (transcriptionOf(fresh)?.status !== 'processing') {
          setConv(fresh);
          reloadTranscript();
          return;
        }
      } catch (e) {
        if (ctrl.signal.aborted || isApiError(e, 'not_found')) return;
      }
      timer = window.setTimeout(poll, TRANSCRIPTION_POLL_MS);
    };
    timer = window.setTimeout(poll, TRANSCRIPTION_POLL_MS);
    return () => {
      ctrl.abort();
      window.clearTimeout(timer);
    };
  }, [id, processing]);
  const restore = useAction(() => api.restoreConversation(id));
  // On a 404, whether the id is in this user's trash: only then is there anything to restore.
  const notFound = isApiError(conv.error, 'not_found');
  const inTrash = useAsync(
    async (signal) => (notFound ? ((await api.listDeleted({ id, limit: 1 }, signal)).data[0] ?? null) : null),
    [id, notFound],
  );

  // Phones show the notes or the transcript, not both stacked; wider screens show them side by side.
  const narrow = useMediaQuery('(max-width: 999px)');
  const [view, setView] = useState<'notes' | 'transcript'>(() => (linked !== null ? 'transcript' : 'notes'));
  // The evidence link last followed, for "Back to the key point".
  const [source, setSource] = useState<HTMLElement | null>(null);
  const jump = useCallback((e: Evidence, from?: HTMLElement) => {
    setHighlight({ segmentIndex: e.segmentIndex, quote: e.quote });
    setSource(from ?? null);
    setView('transcript');
  }, []);
  const backToSource = useCallback(() => {
    if (!source) return;
    setView('notes');
    setSource(null);
    // After the notes are shown again.
    requestAnimationFrame(() => {
      source.scrollIntoView({ block: 'center' });
      source.focus({ preventScroll: true });
    });
  }, [source]);

  const segments = transcript.data?.segments ?? [];
  // Claims (feedback strengths, growth areas) read their time as the transcript shows it.
  const startTime = conv.data?.startTime ?? null;
  const timeOf = useMemo(() => {
    const ms = segments.map((s) => (s.timestamp ? Date.parse(s.timestamp) : NaN));
    const base = baseTimeMs(ms, startTime ? Date.parse(startTime) : NaN);
    const at = new Map(segments.map((s, i) => [s.index, ms[i]]));
    return (index: number) => {
      const m = at.get(index);
      if (m === undefined || Number.isNaN(m) || base === null) return null;
      return { elapsed: formatElapsed((m - base) / 1000), clock: new Date(m).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) };
    };
  }, [segments, startTime]);
  const speakers = useMemo(() => Array.from(new Set(segments.map((s) => s.speaker).filter(Boolean))), [segments]);

  const onRestore = async () => {
    const r = await restore.run();
    if (r) {
      setDeleted(false);
      conv.reload();
      transcript.reload();
    }
  };

  const restoreButton = (
    <button
      type="button"
      className="btn btn-primary"
      data-testid="restore-button"
      onClick={onRestore}
      disabled={restore.pending}
    >
      {restore.pending ? 'Restoring…' : deleted ? 'Undo: restore' : 'Restore'}
    </button>
  );

  const back = (
    <p className="back">
      <Link to="/conversations">← All conversations</Link>
    </p>
  );

  if (conv.loading && !conv.data) {
    return (
      <>
        {back}
        <Busy label="Loading conversation…" testId="conversation-loading" />
      </>
    );
  }

  if (!conv.data || (conv.error && !deleted)) {
    const trashed = inTrash.data;
    if (notFound && inTrash.loading) return <>{back}<Busy label="Loading conversation…" testId="conversation-loading" /></>;
    if (notFound && trashed) {
      return (
        <>
          {back}
          <h1>{trashed.title || 'Untitled conversation'}</h1>
          <div className="notice" data-testid="conversation-in-trash">
            <p>
              This conversation is in the <Link to="/trash">trash</Link> (deleted {formatDateTime(trashed.deletedAt)}). Restore it to read
              it again.
            </p>
            {restoreButton}
            <ErrorBox error={restore.error} title="Could not restore" />
          </div>
        </>
      );
    }
    return (
      <>
        {back}
        <h1>{notFound ? 'Conversation not found' : 'Could not load this conversation'}</h1>
        {notFound ? (
          <div className="notice" data-testid="conversation-not-found">
            <p>There is no conversation with this id in your account, nor in your <Link to="/trash">trash</Link>.</p>
          </div>
        ) : (
          <ErrorBox error={conv.error} title="Could not load the conversation" />
        )}
        {notFound ? null : (
          <button type="button" className="btn" onClick={conv.reload}>
            Try again
          </button>
        )}
      </>
    );
  }

  const c = conv.data;
  const isChat = c.kind === 'chat';
  // Until a recording has a transcript there is nothing to analyse: the notes column says why.
  const awaiting = transcription?.status === 'processing' || transcription?.status === 'failed';
  const transcriptionNotice =
    transcription?.status === 'processing' ? (
      <div className="notice" role="status" data-testid="transcription-processing">
        <p>
          <span className="spinner" aria-hidden="true" /> <strong>Transcribing the recording…</strong> This page shows the transcript
          as soon as it is ready; you can leave it and come back.
        </p>
      </div>
    ) : transcription?.status === 'failed' ? (
      <div data-testid="transcription-failed">
        <ErrorBox error={new Error(transcription.error ?? 'The recording could not be transcribed.')} title="The recording could not be transcribed" />
      </div>
    ) : null;
  const segmentCount = transcript.data ? segments.length : (c.segmentCount ?? 0);

  return (
    <div className="conversation" data-testid="conversation-page" data-conversation-id={c.id}>
      {back}
      <header className="conv-header">
        <TitleEditor
          conversationId={c.id}
          title={c.title}
          disabled={deleted}
          onSaved={(title) => conv.setData({ ...c, title })}
        />
        <div className="conv-meta">
          <StatusBadge status={c.status} />
          <KindBadge kind={c.kind} />
          <span>
            <span className="sr-only">Date: </span>
            <time dateTime={c.startTime ?? c.createdAt}>{formatDateTime(c.startTime ?? c.createdAt)}</time>
          </span>
          <span>
            <span className="sr-only">Duration: </span>
            {formatDuration(c.duration)}
          </span>
          <span>{segmentCount} segments</span>
          {c.llmModel && <span>Model: {c.llmModel}</span>}
          {c.companyName && <span>Company: {c.companyName}</span>}
        </div>
        {!deleted && <DeleteControls conversationId={c.id} onDeleted={() => setDeleted(true)} />}
      </header>

      {deleted ? (
        <div className="notice deleted-banner" role="status" data-testid="deleted-banner">
          <p>
            <strong>This conversation was deleted.</strong> It is hidden everywhere until you restore it.
          </p>
          <div className="actions">
            {restoreButton}
            <Link to="/conversations" className="btn">
              Back to the list
            </Link>
          </div>
          <ErrorBox error={restore.error} title="Could not restore" onDismiss={restore.clearError} />
        </div>
      ) : (
        <EvidenceJumpContext.Provider value={jump}>
          <SegmentTimeContext.Provider value={timeOf}>
          {narrow && (
            <div className="view-switch" role="group" aria-label="Show" data-testid="view-switch">
              <button type="button" className="btn btn-small" aria-pressed={view === 'notes'} data-testid="view-notes" onClick={() => setView('notes')}>
                Notes
              </button>
              <button type="button" className="btn btn-small" aria-pressed={view === 'transcript'} data-testid="view-transcript" onClick={() => setView('transcript')}>
                Transcript
              </button>
              {view === 'transcript' && source?.isConnected && (
                <button type="button" className="btn btn-small" data-testid="back-to-keypoint" onClick={backToSource}>
                  ← Key point
                </button>
              )}
            </div>
          )}
          <nav className="jump-nav" aria-label="Sections of this conversation" hidden={narrow && view === 'transcript'}>
            <a href="#keypoints">Key points</a>
            <a href="#feedback">Feedback</a>
            {isChat && <a href="#insights">Insights</a>}
            <a href="#ask">Ask</a>
            <a href="#email">Email</a>
            <a href="#share">Share</a>
            {!narrow && <a href="#transcript">Transcript</a>}
          </nav>
          <div className="conv-grid">
            <div className="conv-analyses" hidden={narrow && view !== 'notes'}>
              {awaiting ? (
                transcriptionNotice
              ) : (
                <>
                  <KeypointsSection conversationId={c.id} awaitServer={autoAnalyse} />
                  {isChat && <InsightsSection conversationId={c.id} initial={c.insights} />}
                  <FeedbackSection conversationId={c.id} speakers={speakers} segmentCount={segmentCount} />
                  <AskSection conversationId={c.id} isChat={isChat} />
                  <EmailSection conversationId={c.id} />
                  <SpeakersSection conversationId={c.id} onChanged={transcript.reload} />
                  <ShareSection
                    conversationId={c.id}
                    shareUrl={c.shareUrl ?? null}
                    onChange={(shareUrl) => conv.setData({ ...c, shareUrl })}
                  />
                </>
              )}
            </div>
            <section className="panel conv-transcript" id="transcript" aria-labelledby="transcript-heading" hidden={narrow && view !== 'transcript'}>
              <div className="panel-head">
                <h2 id="transcript-heading">Transcript</h2>
                {highlight && (
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => { setHighlight(null); setSource(null); }}>
                    Clear highlight
                  </button>
                )}
              </div>
              {transcript.loading && !transcript.data && <Busy label="Loading transcript…" />}
              <ErrorBox error={transcript.error} title="Could not load the transcript" />
              {transcription?.status === 'processing' && (
                <p className="muted" data-testid="transcript-pending">
                  The transcript appears here when the recording has been transcribed.
                </p>
              )}
              {transcript.data && !awaiting && (
                <Transcript segments={segments} startTime={c.startTime} highlight={highlight} onBack={!narrow && source?.isConnected ? backToSource : null} />
              )}
            </section>
          </div>
          </SegmentTimeContext.Provider>
        </EvidenceJumpContext.Provider>
      )}
    </div>
  );
}
