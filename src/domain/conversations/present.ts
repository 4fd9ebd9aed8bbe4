import type { ConversationRow, SegmentRow } from '../../db/schema.js';
import type { Segment } from '../segment.js';
import { isoOrNull } from '../iso.js';

export interface ApiConversation {
  id: string;
  title: string;
  kind: 'meeting' | 'chat';
  status: ConversationRow['status'];
  startTime: string | null;
  endTime: string | null;
  /** IANA zone given for this conversation; null when none was (the owner's profile zone applies). */
  timeZone: string | null;
  duration: number | null;
  segmentCount: number;
  promptId: string | null;
  llmModel: string | null;
  companyName: string | null;
  metadata: Record<string, unknown>;
  hasInsights: boolean;
  shareUrl: string | null;
  createdAt: string;
  updatedAt: string;
}


/** Whole minutes between start and end, as Convo reports `duration`. */
export function durationMinutes(start: Date | null, end: Date | null): number | null {
  if (!start || !end) return null;
  return Math.max(0, Math.round((new Date(end).getTime() - new Date(start).getTime()) / 60_000));
}

export function presentConversation(row: ConversationRow, shareBase: string): ApiConversation {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    status: row.status,
    startTime: isoOrNull(row.start_time),
    endTime: isoOrNull(row.end_time),
    timeZone: row.time_zone ?? null,
    duration: durationMinutes(row.start_time, row.end_time),
    segmentCount: row.segment_count,
    promptId: row.prompt_id,
    llmModel: row.llm_model,
    companyName: row.company_name,
    metadata: row.metadata ?? {},
    hasInsights: row.has_insights,
    shareUrl: row.share_token ? `${shareBase}/shared/${row.share_token}` : null,
    createdAt: isoOrNull(row.created_at)!,
    updatedAt: isoOrNull(row.updated_at)!,
  };
}

export function toSegment(row: SegmentRow): Segment {
  const seg: Segment = { index: row.idx, text: row.text, speaker: row.speaker, timestamp: isoOrNull(row.ts) };
  if (row.role) seg.role = row.role as Segment['role'];
  if (row.extra) Object.assign(seg, row.extra);
  return seg;
}

const roleLabel: Record<string, string> = { user: 'User', assistant: 'Assistant', system: 'System', tool: 'Tool' };

/** Converra's `content`: the transcript as role- or speaker-labelled lines. */
export function renderContent(segments: Pick<Segment, 'speaker' | 'text' | 'role'>[]): string {
  return segments
    .map((s) => {
      const label = s.role && s.speaker === s.role ? roleLabel[s.role] : s.speaker;
      return `${label}: ${s.text}`;
    })
    .join('\n');
}

/** Converra's message shape, for append responses. */
export function toMessage(seg: Segment) {
  const { index: _i, text, speaker, role, ...rest } = seg;
  return { role: role ?? null, content: text, speaker, ...rest };
}
