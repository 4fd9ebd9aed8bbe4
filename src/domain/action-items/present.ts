import type { ListedActionItemRow } from '../../db/repos/action-items.js';
import { isoOrNull } from '../iso.js';

export type EditableField = 'status' | 'owner' | 'dueDate';

export interface Mention {
  conversationId: string;
  segmentIndex: number;
  quote: string;
  /** The segment says the work is finished ("the handover doc is done"). */
  suggestsDone: boolean;
}

export interface ActionItemView {
  id: string;
  conversationId: string;
  conversationTitle: string;
  conversationStartTime: string | null;
  item: string;
  owner: string | null;
  dueDate: string | null;
  priority: string;
  confidence: number;
  evidence: Array<{ segmentIndex: number; quote: string }>;
  status: 'open' | 'done' | 'dismissed';
  suggestedStatus: 'done' | null;
  mentions: Mention[];
  editedFields: EditableField[];
  createdAt: string;
  updatedAt: string;
}

export function presentActionItem(r: ListedActionItemRow): ActionItemView {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    conversationTitle: r.title,
    conversationStartTime: isoOrNull(r.start_time),
    item: r.item,
    owner: r.owner,
    dueDate: r.due_date,
    priority: r.priority,
    confidence: r.confidence,
    evidence: r.evidence,
    status: r.status,
    suggestedStatus: r.suggested_status,
    mentions: r.mentions,
    editedFields: r.edited as EditableField[],
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
