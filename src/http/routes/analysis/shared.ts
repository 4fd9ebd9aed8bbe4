import { z } from 'zod';

export const refreshBody = z.object({ forceRefresh: z.boolean({ error: 'Must be true or false' }).default(false) }).strict();

/** On GET: the transcript's speakers were renamed since this was generated; the next POST regenerates it. */
export const staleField = z.literal(true).optional().describe('Present (true) when speakers were renamed or merged since this was generated: the next POST regenerates it.');
