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
  'transcript.import': {
    // The uploaded file travels in the job (base64) so that the parse happens off the request.
    schema: z.object({
      conversationId: z.string(),
      userId: z.string(),
      filename: z.string(),
      contentType: z.string().optional(),
      dataBase64: z.string(),
      startTime: z.string().optional(),
    }),
    retryLimit: 2,
    retryDelaySeconds: 5,
    expireInSeconds: 300,
  },
  // A recording through speech-to-text: the uploaded tracks wait on disk (the audio folder of the
  // data folder) until the job has written the transcript or recorded the failure. A worker killed
  // mid-transcription leaves the job active; the next worker to start runs it again from the files.
  'transcript.audio': {
    schema: z.object({
      conversationId: z.string(),
      userId: z.string(),
      startTime: z.string().optional(),
      tracks: z.array(z.object({ path: z.string(), speaker: z.string().nullable(), filename: z.string() })).min(1),
    }),
    retryLimit: 2,
    retryDelaySeconds: 30,
    expireInSeconds: 3 * 3600,
  },
  // Key points for a new conversation whose owner analyses new conversations automatically: enqueued
  // in the transaction that gave it its transcript (create, import, completion). One credit, as a
  // POST /keypoints would spend; skipped when key points exist or the credits are used up.
  'keypoints.auto': {
    schema: z.object({ conversationId: z.string(), userId: z.string() }),
    retryLimit: 2,
    retryDelaySeconds: 10,
    expireInSeconds: 900,
  },
  // Links a conversation's segments to the user's open action items from earlier conversations
  // (mentions, suggested status), after its key points were stored.
  'action_items.mentions': {
    schema: z.object({ conversationId: z.string(), userId: z.string() }),
    retryLimit: 3,
    retryDelaySeconds: 5,
    expireInSeconds: 120,
  },
} satisfies Record<string, { schema: z.ZodTypeAny; retryLimit: number; retryDelaySeconds: number; expireInSeconds: number }>;

export type JobName = keyof typeof jobCatalog;
export type JobData<N extends JobName> = z.infer<(typeof jobCatalog)[N]['schema']>;
