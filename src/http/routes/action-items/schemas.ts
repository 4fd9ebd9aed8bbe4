import { z } from 'zod';
import { evidenceSchema } from '../../../engines/schemas.js';

/** A calendar date, YYYY-MM-DD, that exists (no 2026-02-30); `format: date` in the OpenAPI document. */
// Year 0000 does not exist for the database.
export const calendarDate = z.iso.date({ error: 'Must be a real calendar date, YYYY-MM-DD' }).refine((d) => d >= '0001-01-01', 'Must be a real calendar date, YYYY-MM-DD');

export const actionItemStatus = z.enum(['open', 'done', 'dismissed'], { error: 'Must be open, done or dismissed' });

export const actionItemSchema = z.object({
  id: z.string().describe('Stable across regenerations of the key points (`act_…`).'),
  conversationId: z.string(),
  conversationTitle: z.string(),
  conversationStartTime: z.string().nullable(),
  item: z.string(),
  owner: z.string().nullable(),
  dueDate: z.string().nullable().describe('YYYY-MM-DD'),
  priority: z.string(),
  confidence: z.number(),
  evidence: z.array(evidenceSchema).describe('Where the conversation asked for it.'),
  status: actionItemStatus,
  suggestedStatus: z
    .enum(['done'])
    .nullable()
    .describe('Proposed by a later conversation that says the work is finished; never applied by itself. Setting `status` clears it.'),
  mentions: z
    .array(z.object({ conversationId: z.string(), segmentIndex: z.number().int(), quote: z.string(), suggestsDone: z.boolean() }))
    .describe('Segments of later conversations that talk about this item.'),
  editedFields: z.array(z.enum(['status', 'owner', 'dueDate'])).describe('Fields a person set; regenerating the key points leaves them alone.'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
