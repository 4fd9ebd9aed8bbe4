// An MCP server at /mcp (Streamable HTTP, stateless: every POST carries its own JSON-RPC messages),
// so AI assistants can search, read and ask a user's conversations. It is authenticated with the
// same Bearer API keys, counted against the same hourly rate limit and AI credits as the REST API,
// and every tool reads only the key owner's data, through the same services.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../container.js';
import type { Principal } from '../domain/accounts/service.js';
import { AppError } from '../domain/errors.js';
import { authenticate } from './auth.js';
import { calendarService } from './routes/calendar/service.js';
import { actionItemStatus, calendarDate } from './routes/action-items/schemas.js';
import type { App } from './types.js';

const isoDate = z.iso.datetime({ offset: true });

function ok(data: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data, null, 2) }], structuredContent: { data } };
}

/** Errors a client can act on (not found, validation, credits) are tool results with isError, not protocol errors. */
async function tool(run: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    return ok(await run());
  } catch (err) {
    if (err instanceof AppError) return { isError: true, content: [{ type: 'text', text: `${err.code}: ${err.message}` }] };
    throw err;
  }
}

function serverFor(container: Container, principal: Principal, calendar: ReturnType<typeof calendarService>, signal: AbortSignal): McpServer {
  const userId = principal.userId;
  const server = new McpServer({ name: 'colloquy', version: '1.0.0' });

  server.registerTool(
    'search_conversations',
    {
      title: 'Search conversations',
      description:
        'Full-text search across the user\'s meeting transcripts and chats: matching segments, most relevant first, each with conversationId, title, segmentIndex, speaker and an HTML snippet (<mark> around matches). q accepts words, "quoted phrases", -excluded words and or.',
      inputSchema: {
        q: z.string().min(1).max(200),
        groupBy: z.enum(['none', 'conversation']).optional(),
        since: isoDate.optional(),
        until: isoDate.optional(),
        kind: z.enum(['meeting', 'chat']).optional(),
        speaker: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(50).optional(),
        cursor: z.string().max(500).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    (a) =>
      tool(() =>
        container.search.search({
          userId,
          q: a.q,
          since: a.since ? new Date(a.since) : undefined,
          until: a.until ? new Date(a.until) : undefined,
          kind: a.kind,
          speaker: a.speaker,
          groupBy: a.groupBy ?? 'none',
          limit: a.limit ?? 20,
          cursor: a.cursor,
          signal,
        }),
      ),
  );

  server.registerTool(
    'list_conversations',
    {
      title: 'List conversations',
      description: 'The user\'s conversations, newest meeting first, optionally filtered by a search, kind or status. Pass nextCursor back as cursor for the next page.',
      inputSchema: {
        search: z.string().max(200).optional(),
        kind: z.enum(['meeting', 'chat']).optional(),
        status: z.enum(['active', 'in_progress', 'completed', 'abandoned']).optional(),
        limit: z.number().int().min(1).max(100).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    (a) =>
      tool(async () => {
        const { data, total } = await container.conversations.list({ userId, limit: a.limit ?? 20, offset: 0, search: a.search || undefined, kind: a.kind, status: a.status, sort: 'startTime' }, signal);
        return { conversations: data, total };
      }),
  );

  server.registerTool(
    'get_transcript',
    {
      title: 'Get a transcript',
      description: 'The segments of one conversation, in order: index, speaker, text and timestamp.',
      inputSchema: { conversationId: z.string().min(1).max(200) },
      annotations: { readOnlyHint: true },
    },
    (a) =>
      tool(async () => {
        const row = await container.conversations.require(userId, a.conversationId);
        return { id: row.id, title: row.title, startTime: row.start_time, segments: await container.conversations.segments(row.id) };
      }),
  );

  server.registerTool(
    'get_key_points',
    {
      title: 'Get key points',
      description:
        'The summary, sections, decisions, action items (owner, due date) and important dates of one conversation, each with the segments it comes from. Stored key points are free; with generate=true they are generated when missing (one AI credit).',
      inputSchema: { conversationId: z.string().min(1).max(200), generate: z.boolean().optional() },
      annotations: { readOnlyHint: false },
    },
    (a) =>
      tool(async () => {
        // Generating returns the stored key points when there are some (free); only missing ones spend a credit.
        const r = a.generate
          ? await container.analysis.keypoints(principal, a.conversationId, { signal })
          : await container.analysis.getCached(userId, a.conversationId, 'keypoints');
        return { id: a.conversationId, title: r.title, keypoints: r.result, createdAt: r.createdAt.toISOString(), cached: r.cached };
      }),
  );

  server.registerTool(
    'ask',
    {
      title: 'Ask a question',
      description:
        'Answers a question about one conversation (conversationId) or across all of the user\'s conversations (optionally since/until), citing the conversation and segment of every claim. One AI credit.',
      inputSchema: { query: z.string().min(1).max(500), conversationId: z.string().min(1).max(200).optional(), since: isoDate.optional(), until: isoDate.optional() },
    },
    (a) =>
      tool(async () => {
        if (a.conversationId) return container.analysis.query(principal, a.conversationId, a.query, signal);
        return container.analysis.queryAcross(principal, { query: a.query, since: a.since ? new Date(a.since) : undefined, until: a.until ? new Date(a.until) : undefined, limit: 10 }, signal);
      }),
  );

  server.registerTool(
    'list_action_items',
    {
      title: 'List action items',
      description:
        'Action items across the user\'s conversations (from their key points), soonest due first: item, owner, dueDate, status (open by default), suggestedStatus (a later meeting says it is done) and mentions in later meetings, each with conversationId and segmentIndex. Filter by owner (whole name, any case), dueBefore (YYYY-MM-DD) or conversationId; pass nextCursor back as cursor for the next page.',
      inputSchema: {
        status: actionItemStatus.optional(),
        owner: z.string().min(1).max(200).optional(),
        dueBefore: calendarDate.optional(),
        conversationId: z.string().min(1).max(100).optional(),
        limit: z.number().int().min(1).max(100).optional(),
        cursor: z.string().max(500).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    (a) => tool(() => container.actionItems.list({ userId, status: a.status ?? 'open', owner: a.owner, dueBefore: a.dueBefore, conversationId: a.conversationId, limit: a.limit ?? 20, cursor: a.cursor })),
  );

  server.registerTool(
    'update_action_item',
    {
      title: 'Update an action item',
      description:
        'Sets an action item\'s status (open, done, dismissed), owner or dueDate (YYYY-MM-DD); null clears owner or dueDate. A person\'s change is kept when key points are regenerated; setting status accepts or rejects a suggestedStatus.',
      inputSchema: {
        id: z.string().min(1).max(100),
        status: actionItemStatus.optional(),
        owner: z.string().trim().min(1).max(200).nullable().optional(),
        dueDate: calendarDate.nullable().optional(),
      },
      annotations: { readOnlyHint: false, idempotentHint: true },
    },
    (a) =>
      tool(async () => {
        const { id, ...patch } = a;
        if (patch.status === undefined && patch.owner === undefined && patch.dueDate === undefined)
          throw new AppError('validation_error', 'Give at least one of status, owner, dueDate');
        return container.actionItems.update(userId, id, patch);
      }),
  );

  server.registerTool(
    'list_upcoming_events',
    {
      title: 'List upcoming calendar events',
      description: "Upcoming events of the user's connected calendar (ICS feed or Google Calendar), sorted by start.",
      inputSchema: { maxResults: z.number().int().min(1).max(50).optional(), timeMin: isoDate.optional() },
      annotations: { readOnlyHint: true },
    },
    (a) => tool(() => calendar.listEvents(userId, { maxResults: a.maxResults ?? 10, timeMin: a.timeMin ? new Date(a.timeMin) : undefined })),
  );

  return server;
}

export async function registerMcp(app: FastifyInstance, container: Container): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', authenticate(container));
    const calendar = calendarService(scope as unknown as App);
    scope.post('/mcp', { schema: { hide: true } }, async (request, reply) => {
      const gone = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) gone.abort();
      });
      const server = serverFor(container, request.principal!, calendar, gone.signal);
      // Stateless: no session ids; answers as JSON rather than an event stream.
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      reply.raw.once('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      // The transport writes the response itself, with the rate-limit headers set by the hook.
      for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) reply.raw.setHeader(k, v as string);
      reply.hijack();
      await transport.handleRequest(request.raw, reply.raw, request.body);
    });
    // Stateless: no server-initiated stream to open and no session to end.
    const notAllowed = async (_: unknown, reply: { header: (k: string, v: string) => unknown }) => {
      reply.header('allow', 'POST');
      throw new AppError('method_not_allowed', 'The MCP endpoint is stateless: send JSON-RPC messages with POST');
    };
    scope.get('/mcp', { schema: { hide: true } }, notAllowed);
    scope.delete('/mcp', { schema: { hide: true } }, notAllowed);
  });
}
