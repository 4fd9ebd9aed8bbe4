import { z } from 'zod';
import { emailDraftSchema } from '../../../engines/schemas.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { clientGone } from '../../client-gone.js';
import { commonErrors, errorSchema, idParams } from '../../schemas.js';

export function registerEmail(app: App) {
  app.post(
    '/conversations/:id/email',
    {
      schema: {
        tags: ['AI analysis'],
        summary: 'Draft a follow-up email (1 AI credit)',
        params: idParams,
        body: z
          .object({
            recipientName: z.string().trim().min(1, 'Must not be empty').max(200, 'At most 200 characters').optional(),
            tone: z.enum(['professional', 'casual', 'concise'], { error: 'Must be professional, casual or concise' }).default('professional'),
          })
          .strict()
          .nullish(),
        response: { 200: z.object({ data: emailDraftSchema.extend({ id: z.string(), generatedAt: z.string() }) }), 502: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const body = request.body ?? { tone: 'professional' as const };
      const data = await app.container.analysis.email(principalOf(request), request.params.id, {
        recipientName: body.recipientName,
        tone: body.tone ?? 'professional',
        signal: clientGone(reply),
      });
      return { data };
    },
  );
}
