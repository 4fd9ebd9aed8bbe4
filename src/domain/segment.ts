// The transcript entry shared by meetings and chats (SPEC §2).
export const roles = ['user', 'assistant', 'system', 'tool'] as const;
export type Role = (typeof roles)[number];

export interface Segment {
  /** 0-based position in the transcript. */
  index: number;
  text: string;
  speaker: string;
  /** ISO 8601, or null when the source had no timing. */
  timestamp: string | null;
  role?: Role | null;
  model?: string | null;
  tokens?: number | null;
  toolCalls?: unknown[] | null;
  usage?: { promptTokens?: number; completionTokens?: number } | null;
  latencyMs?: number | null;
  metadata?: Record<string, unknown> | null;
}
