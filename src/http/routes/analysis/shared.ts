import { z } from 'zod';

export const refreshBody = z.object({ forceRefresh: z.boolean({ error: 'Must be true or false' }).default(false) }).strict();
