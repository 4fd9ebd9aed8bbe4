import { z } from 'zod';
import type { App } from '../types.js';
import { principalOf } from '../types.js';
import { commonErrors, isoDate } from '../schemas.js';
import { AppError } from '../../domain/errors.js';
import { SEARCH_CANDIDATES, CORRECTION_CONVERSATIONS } from '../../domain/search/service.js';
import { clientGone } from '../client-gone.js';

const query = z
  .object({
    q: z.string({ error: 'Required' }).trim().min(1, 'Must not be empty').max(200, 'At most 200 characters'),
    since: isoDate.optional(),
    until: isoDate.optional(),
    kind: z.enum(['meeting', 'chat']).optional(),
    speaker: z.string().trim().min(1).max(200).optional(),
    promptId: z.string().max(200).optional(),
    groupBy: z.enum(['none', 'conversation']).default('none'),
    limit: z.coerce.number({ error: 'Must be a number' }).int('Must be an integer').min(1, 'Must be 1–50').max(50, 'Must be 1–50').default(20),
    cursor: z.string().max(500).optional(),
  })
  .strict();

const segmentHit = {
  segmentIndex: z.number().int(),
  speaker: z.string(),
  timestamp: z.string().nullable(),
  snippet: z.string().describe('HTML-escaped text around the match, the matched words in <mark>…</mark>.'),
  score: z.number().describe('Relevance (PostgreSQL ts_rank); higher is better.'),
};
const conversationFields = {
  conversationId: z.string(),
  title: z.string(),
  kind: z.enum(['meeting', 'chat']),
  startTime: z.string().nullable(),
};

export function registerSearch(app: App) {
  app.get(
    '/search',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'Search across conversations',
        description:
          `Matching transcript segments across your conversations, most relevant first, each with a highlighted snippet. \`q\` is full-text (words, "quoted phrases", -excluded words, \`or\`; English stemming). With \`groupBy=conversation\`, one entry per conversation with its 3 best matches. Relevance is ranked within your ${SEARCH_CANDIDATES} most recent matching conversations; use \`since\`/\`until\` (meeting start, else creation) to reach further back. Pass \`pagination.nextCursor\` as \`cursor\` for the next page. When \`q\` matches nothing, its misspelled words and names are corrected from the words said in your ${CORRECTION_CONVERSATIONS} latest conversations and the results are for that wording (\`didYouMean\`).`,
        querystring: query,
        response: {
          200: z.object({
            data: z.union([
              z.array(z.object({ ...conversationFields, ...segmentHit })),
              z.array(z.object({ ...conversationFields, score: z.number(), matchCount: z.number().int(), matches: z.array(z.object(segmentHit)) })),
            ]),
            pagination: z.object({ limit: z.number(), nextCursor: z.string().nullable() }),
            didYouMean: z
              .string()
              .nullable()
              .describe('When `q` matched nothing, the results are for this wording instead: its misspelled words (names, typos) replaced by the closest words said in your latest conversations. Null when `q` itself matched (or nothing close was said).'),
          }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (q.since && q.until && Date.parse(q.since) >= Date.parse(q.until))
        throw new AppError('validation_error', 'since must be before until', { details: { until: 'Must be after since' } });
      const { data, nextCursor, didYouMean } = await app.container.search.search({
        userId: principalOf(request).userId,
        q: q.q,
        since: q.since ? new Date(q.since) : undefined,
        until: q.until ? new Date(q.until) : undefined,
        kind: q.kind,
        speaker: q.speaker,
        promptId: q.promptId,
        groupBy: q.groupBy,
        limit: q.limit,
        cursor: q.cursor,
        signal: clientGone(reply),
      });
      return { data, pagination: { limit: q.limit, nextCursor }, didYouMean };
    },
  );
}
