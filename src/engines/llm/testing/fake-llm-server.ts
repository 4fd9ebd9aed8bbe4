// A stand-in for a model server on 127.0.0.1 that speaks the three wire protocols the engine
// uses: OpenAI chat completions (also Ollama, vLLM, llama.cpp), the OpenAI Responses API and
// Anthropic messages. Tests script the replies and assert on the requests it recorded.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Protocol = 'chat' | 'responses' | 'anthropic';

export interface RecordedRequest {
  protocol: Protocol;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  system: string;
  /** Every user message, in order. */
  user: string[];
  /** Every assistant message (a re-ask replays the rejected reply). */
  assistant: string[];
  /** The JSON schema the request asked the reply to follow, if any. */
  schema: unknown;
  schemaName: string | null;
}

export type Reply =
  | { json: unknown }
  | { text: string }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true };

export type Responder = (req: RecordedRequest, n: number) => Reply | Promise<Reply>;

export interface FakeLlm {
  /** Base URL including the /v1 prefix. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join('');
  return '';
}

function record(path: string, headers: IncomingHttpHeaders, body: any): RecordedRequest | null {
  const byRole = (msgs: any[], role: string) => msgs.filter((m) => m?.role === role).map((m) => textOf(m.content));
  if (path === '/v1/chat/completions') {
    const msgs: any[] = body.messages ?? [];
    const rf = body.response_format;
    return {
      protocol: 'chat', path, headers, body,
      system: byRole(msgs, 'system').join('\n'),
      user: byRole(msgs, 'user'),
      assistant: byRole(msgs, 'assistant'),
      schema: rf?.type === 'json_schema' ? rf.json_schema?.schema : null,
      schemaName: rf?.type === 'json_schema' ? (rf.json_schema?.name ?? null) : null,
    };
  }
  if (path === '/v1/responses') {
    const items: any[] = Array.isArray(body.input) ? body.input : [];
    const fmt = body.text?.format;
    return {
      protocol: 'responses', path, headers, body,
      system: [...byRole(items, 'system'), ...byRole(items, 'developer'), body.instructions ?? ''].filter(Boolean).join('\n'),
      user: byRole(items, 'user'),
      assistant: byRole(items, 'assistant'),
      schema: fmt?.type === 'json_schema' ? fmt.schema : null,
      schemaName: fmt?.type === 'json_schema' ? (fmt.name ?? null) : null,
    };
  }
  if (path === '/v1/messages') {
    const msgs: any[] = body.messages ?? [];
    const tool = (body.tools ?? []).find((t: any) => t?.name === 'json');
    const native = body.output_format ?? body.output_config?.format;
    return {
      protocol: 'anthropic', path, headers, body,
      system: textOf(body.system),
      user: byRole(msgs, 'user'),
      assistant: byRole(msgs, 'assistant'),
      schema: tool?.input_schema ?? native?.schema ?? null,
      schemaName: tool ? 'json' : null,
    };
  }
  return null;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function success(req: RecordedRequest, content: string, parsed: unknown) {
  const usage = { input_tokens: 10, output_tokens: 10 };
  switch (req.protocol) {
    case 'chat':
      return {
        id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: req.body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      };
    case 'responses':
      return {
        id: 'resp_1', created_at: 0, model: req.body.model,
        output: [{ type: 'message', role: 'assistant', id: 'msg_1', content: [{ type: 'output_text', text: content, annotations: [] }] }],
        usage,
      };
    case 'anthropic': {
      // With a JSON tool the SDK expects the object as the tool's input; otherwise plain text.
      const useTool = req.schemaName === 'json' && parsed !== undefined;
      return {
        type: 'message', id: 'msg_1', model: req.body.model, role: 'assistant',
        content: useTool ? [{ type: 'tool_use', id: 'toolu_1', name: 'json', input: parsed }] : [{ type: 'text', text: content }],
        stop_reason: useTool ? 'tool_use' : 'end_turn', stop_sequence: null,
        usage,
      };
    }
  }
}

export async function startFakeLlm(respond: Responder): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  const server = createServer((httpReq, res) => {
    const chunks: Buffer[] = [];
    httpReq.on('data', (c: Buffer) => chunks.push(c));
    httpReq.on('end', async () => {
      let body: any = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return send(res, 400, { error: { message: 'bad json', type: 'invalid_request_error' } });
      }
      const rec = httpReq.method === 'POST' ? record(httpReq.url ?? '', httpReq.headers, body) : null;
      if (!rec) return send(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
      requests.push(rec);
      let reply: Reply;
      try {
        reply = await respond(rec, requests.length);
      } catch (err) {
        return send(res, 500, { error: { message: `responder failed: ${(err as Error).message}`, type: 'server_error' } });
      }
      if ('hang' in reply) return;
      if ('status' in reply) return send(res, reply.status, reply.body ?? { error: { message: 'scripted failure', type: 'server_error' } }, reply.headers);
      const content = 'json' in reply ? JSON.stringify(reply.json) : reply.text;
      send(res, 200, success(rec, content, 'json' in reply ? reply.json : undefined));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The numbered transcript lines a request showed the model, as `Segment.index` values. */
export function citedLines(req: RecordedRequest): number[] {
  const text = req.user[0] ?? '';
  return [...text.matchAll(/^\[(\d+)\] /gm)].map((m) => Number(m[1]));
}

/** `[i] Speaker (HH:MM): text` lines of a request, parsed. */
export function transcriptOf(req: RecordedRequest): Array<{ index: number; speaker: string; text: string }> {
  const text = req.user[0] ?? '';
  return [...text.matchAll(/^\[(\d+)\] (.*?)(?: \(\d{2}:\d{2}\))?(?: \(part \d+\/\d+\))?: (.*)$/gm)].map((m) => ({ index: Number(m[1]), speaker: m[2], text: m[3] }));
}
