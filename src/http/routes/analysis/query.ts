import { z } from 'zod';
import { queryResultSchema } from '../../../engines/schemas.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, errorSchema, idParams } from '../../schemas.js';
import { clientGone } from '../../client-gone.js';

export function registerQuery(app: App) {
  app.post(
    '/conversations/:id/query',
    {
      schema: {
        tags: ['AI analysis'],
        summary: 'Ask a question about a conversation (1 AI credit)',
        params: idParams,
        body: z
          .object({
            query: z.string({ error: 'Required' }).trim().min(1, 'Must not be empty').max(500, 'Query must be 500 characters or fewer'),
          })
          .strict(),
        response: { 200: z.object({ data: queryResultSchema.extend({ id: z.string(), query: z.string() }) }), 502: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) => ({ data: await app.container.analysis.query(principalOf(request), request.params.id, request.body.query, clientGone(reply)) }),
  );
}
