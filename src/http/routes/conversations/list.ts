import { z } from 'zod';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, conversationSchema, isoDate, queryBool, searchMatchSchema } from '../../schemas.js';
import { cursorParts, encodeCursor, invalidCursor, REUSE_AS_GIVEN } from '../../../domain/cursor.js';
import { EMBEDDED_SEARCH_TOTAL_CAP, SEARCH_TOTAL_CAP, type ListCursor } from '../../../db/repos/conversations.js';
import { clientGone } from '../../client-gone.js';

type Sort = 'createdAt' | 'startTime';

/** An opaque position for `cursor`: the sort it belongs to, the row's sort key and id. */
function listCursor(sort: Sort, c: ListCursor): string {
  return encodeCursor([sort, c.key, c.id]);
}

function decodeListCursor(sort: Sort, cursor: string): ListCursor {
  const parts = cursorParts(cursor);
  if (parts.length !== 3 || !parts.every((p) => typeof p === 'string')) throw invalidCursor(REUSE_AS_GIVEN);
  const [s, key, id] = parts as string[];
  if (s !== sort) throw invalidCursor(`it belongs to sort=${s}; ask with the same sort`);
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?[+-]\d{2}(?::\d{2})?$/.test(key) || id.length > 200) throw invalidCursor(REUSE_AS_GIVEN);
  return { key, id };
}

const query = z
  .object({
    limit: z.coerce.number({ error: 'Must be a number' }).int('Must be an integer').min(1, 'Must be 1–100').max(100, 'Must be 1–100').default(20),
    offset: z.coerce.number({ error: 'Must be a number' }).int('Must be an integer').min(0, 'Must be 0 or more').max(1_000_000).default(0),
    search: z.string().trim().max(200, 'At most 200 characters').optional(),
    since: isoDate.optional(),
    promptId: z.string().max(200).optional(),
    status: z.enum(['active', 'in_progress', 'completed', 'abandoned']).optional(),
    kind: z.enum(['meeting', 'chat']).optional(),
    hasInsights: queryBool.optional(),
    sort: z.enum(['createdAt', 'startTime']).default('createdAt'),
    cursor: z.string().max(1000).optional(),
    include: z.enum(['overview']).optional(),
  })
  .strict();

const overviewSchema = z
  .object({ summary: z.string().nullable(), speakers: z.array(z.string()) })
  .describe('With `include=overview`: the first sentence of the stored key points (or insights) summary, null when none was generated, and who spoke.');

const rowsSchema = z.array(conversationSchema.extend({ match: searchMatchSchema.optional(), overview: overviewSchema.optional() }));

/**
 * A page's rows as JSON, checked against the response schema once: requests that share a page (see
 * ConversationsService.list) share its rows, so the rows are validated and serialised once for all.
 */
const serialisedRows = new WeakMap<object, string>();
function rowsJson(data: object[]): string {
  let json = serialisedRows.get(data);
  if (json === undefined) {
    json = JSON.stringify(rowsSchema.parse(data));
    serialisedRows.set(data, json);
  }
  return json;
}

export function registerListConversations(app: App) {
  app.get(
    '/conversations',
    {
      schema: {
        tags: ['Conversations'],
        summary: 'List conversations',
        description:
          'Newest first: by creation (`sort=createdAt`, the default) or by meeting start (`sort=startTime`, creation when a conversation has none). `include=overview` adds each row\'s one-line summary and speakers. `search` matches titles and transcript text (PostgreSQL full-text search: words, "quoted phrases", -excluded words, `or`), and each row then carries `match`, a highlighted snippet of where it matched. `pagination.total` is exact. To page far, pass the previous page\'s `pagination.nextCursor` as `cursor` (then `offset` is ignored); it is null on the last page.',
        querystring: query,
        response: {
          200: z.object({
            data: rowsSchema,
            pagination: z.object({
              total: z.number(),
              totalRelation: z
                .enum(['eq', 'gte'])
                .describe(`\`eq\`: \`total\` is exact. \`gte\`: a search matched more than \`total\` conversations (the server counts up to ${SEARCH_TOTAL_CAP.toLocaleString('en')} on PostgreSQL and ${EMBEDDED_SEARCH_TOTAL_CAP.toLocaleString('en')} on the embedded database by default, COLLOQUY_SEARCH_TOTAL_CAP); page on with \`nextCursor\`.`),
              limit: z.number(),
              offset: z.number(),
              nextCursor: z.string().nullable(),
            }),
          }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const after = q.cursor ? decodeListCursor(q.sort, q.cursor) : undefined;
      const { data, total, next, capped } = await app.container.conversations.list({
        userId: principalOf(request).userId,
        limit: q.limit,
        offset: q.offset,
        search: q.search || undefined,
        since: q.since ? new Date(q.since) : undefined,
        promptId: q.promptId,
        status: q.status,
        kind: q.kind,
        hasInsights: q.hasInsights,
        sort: q.sort,
        after,
      }, q.search ? clientGone(reply) : undefined);
      // Rows of a shared page are shared (see ConversationsService.list): an overview goes on copies.
      const rows =
        q.include === 'overview'
          ? await app.container.conversations.overviews(data.map((c) => c.id)).then((o) => data.map((c) => ({ ...c, overview: o.get(c.id) ?? { summary: null, speakers: [] } })))
          : data;
      const pagination = { total, totalRelation: capped ? ('gte' as const) : ('eq' as const), limit: q.limit, offset: q.offset, nextCursor: next ? listCursor(q.sort, next) : null };
      // The rows go out as they were serialised for the page; the pagination is this request's own.
      // A JSON string with a JSON content type is sent as it is (the schema's serializer is skipped).
      const body = `{"data":${rowsJson(rows)},"pagination":${JSON.stringify(pagination)}}`;
      return reply.type('application/json; charset=utf-8').send(body as unknown as { data: typeof rows; pagination: typeof pagination });
    },
  );
}
