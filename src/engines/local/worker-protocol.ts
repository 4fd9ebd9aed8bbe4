// Messages between the pooled engine and its workers.
import type { ErrorCode, ErrorDetails } from '../../domain/errors.js';
import type { EmailTone } from '../schemas.js';
import type { EngineConversation } from '../types.js';

export type WorkerTask = (
  | { op: 'keypoints'; conversation: EngineConversation }
  | { op: 'feedback'; conversation: EngineConversation; opts: { userSpeakerName?: string } }
  | { op: 'query'; conversation: EngineConversation; query: string }
  | { op: 'email'; conversation: EngineConversation; opts: { recipientName?: string; tone: EmailTone } }
  | { op: 'insights'; conversation: EngineConversation }
) & {
  /** Set for the general threads: they run below normal CPU priority, so small tasks win the CPU. */
  background?: boolean;
};

export type WorkerReply = { ok: true; value: unknown } | { ok: false; error: { code: ErrorCode; message: string; details?: ErrorDetails } };
