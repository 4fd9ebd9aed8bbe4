import { z } from 'zod';

// Every background job: its payload schema, retry count and how long a run may take before the queue
// considers the worker dead and hands the job to another one.
export const jobCatalog = {
  'insights.generate': {
    schema: z.object({ conversationId: z.string(), userId: z.string() }),
    retryLimit: 3,
    retryDelaySeconds: 5,
    expireInSeconds: 600,
  },
} satisfies Record<string, { schema: z.ZodTypeAny; retryLimit: number; retryDelaySeconds: number; expireInSeconds: number }>;

export type JobName = keyof typeof jobCatalog;
export type JobData<N extends JobName> = z.infer<(typeof jobCatalog)[N]['schema']>;
