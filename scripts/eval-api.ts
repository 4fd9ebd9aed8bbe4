// The evaluation's answers through the real HTTP API (in-process server, in-memory database), so
// `npm run eval` measures exactly what an API client gets.
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { openDatabase } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import type { EngineConversation } from '../src/engines/types.js';
import type { EvalRequest, Produce } from './eval.js';
import { measuringEnv } from './bench-env.js';

export async function apiProducer(): Promise<{ produce: Produce; close(): Promise<void> }> {
  const config = loadConfig({ ...process.env, ...measuringEnv('colloquy-eval'), DATABASE_URL: '' });
  const container = await createContainer(config, { database: await openDatabase({ dataDir: null }) });
  const app = await buildApp(container);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/api/v1`;
  const user = await container.accounts.createUser({ email: 'eval@example.com', name: 'Eval', tier: 'enterprise' });
  const { key } = await container.accounts.createKey(user.id, 'eval');

  async function call(method: string, path: string, body: unknown) {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { data?: any; error?: { code: string; message: string } };
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${json.error?.code}: ${json.error?.message}`);
    return json.data;
  }

  const ids = new Map<string, string>();
  async function conversationId(c: EngineConversation): Promise<string> {
    const known = ids.get(c.id);
    if (known) return known;
    // Dated conversations keep their start and timestamps: relative dates resolve against them.
    const start = { ...(c.startTime ? { startTime: c.startTime } : {}), ...(c.timeZone ? { timeZone: c.timeZone } : {}) };
    const body =
      c.kind === 'meeting'
        ? { title: c.title ?? c.id, kind: 'meeting', ...start, segments: c.segments.map((s) => ({ speaker: s.speaker, text: s.text, ...(s.timestamp ? { timestamp: s.timestamp } : {}) })) }
        : {
            title: c.title ?? c.id,
            kind: 'chat',
            status: 'active',
            ...start,
            messages: c.segments.map((s) => ({ role: s.role ?? 'user', content: s.text, ...(s.speaker !== s.role ? { name: s.speaker } : {}), ...(s.timestamp ? { timestamp: s.timestamp } : {}) })),
          };
    const created = await call('POST', '/conversations', body);
    ids.set(c.id, created.id);
    return created.id;
  }

  const produce = (async (c: EngineConversation, r: EvalRequest) => {
    const id = await conversationId(c);
    if (r.kind === 'query') return call('POST', `/conversations/${id}/query`, { query: r.query });
    if (r.kind === 'keypoints') return (await call('POST', `/conversations/${id}/keypoints`, { forceRefresh: true })).keypoints;
    return call('POST', `/conversations/${id}/insights`, { forceRefresh: true });
  }) as Produce;

  return {
    produce,
    async close() {
      await app.close();
      await container.close();
    },
  };
}
