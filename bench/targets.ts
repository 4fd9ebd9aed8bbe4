// Child-process servers for the benchmarks, so the load generator never shares a thread with them.
//   tsx bench/targets.ts colloquy   -> the real server with a seeded user and 600-segment meeting
//   tsx bench/targets.ts bare FILE  -> a bare Fastify server answering the same bytes from memory
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import type { Container } from '../src/container.js';
import { measuringEnv, removeMeasuringEnv } from '../scripts/bench-env.js';

const mode = process.argv[2];

async function colloquy() {
  const { loadConfig } = await import('../src/config.js');
  const { startServer } = await import('../src/server.js');
  const env = measuringEnv('colloquy-bench');
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  // The temporary data folder goes once the server has stopped: on SIGTERM from the parent, or a failed start.
  const shutdown = async () => {
    try {
      await server?.stop();
    } finally {
      removeMeasuringEnv(env);
    }
  };
  process.once('SIGTERM', () => void shutdown().then(() => process.exit(0), () => process.exit(1)));
  try {
    server = await startServer(loadConfig({ ...process.env, ...env, DATABASE_POOL_SIZE: '20' }), { print: () => {} });
    process.stdout.write(JSON.stringify({ url: server.url, ...(await seed(server.container)) }) + '\n');
  } catch (err) {
    await shutdown().catch(() => {});
    throw err;
  }
}

/** A user and key, a 600-segment meeting, 30 small chats and 32 empty chats for appends. */
async function seed(container: Container) {
  const user = await container.accounts.createUser({ email: `bench-${Date.now()}@example.com`, name: 'Bench', tier: 'enterprise' });
  const key = await container.accounts.createKey(user.id, 'bench');
  const t0 = Date.parse('2026-03-18T14:00:00Z');
  const speakers = ['Alice', 'Bob', 'Sarah', 'Dan'];
  const meeting = await container.conversations.create(user.id, {
    title: 'Bench meeting',
    startTime: new Date(t0).toISOString(),
    segments: Array.from({ length: 600 }, (_, i) => ({
      speaker: speakers[i % 4],
      text: `Point ${i}: we reviewed the rollout plan for region ${i % 7} and agreed to follow up with the customer success team next week.`,
      timestamp: new Date(t0 + i * 5000).toISOString(),
    })),
  });
  for (let i = 0; i < 30; i++) {
    await container.conversations.create(user.id, { title: `Chat ${i}`, content: `User: hello ${i}\nAssistant: hi, how can I help?` });
  }
  const chats = [];
  for (let i = 0; i < 32; i++) {
    chats.push((await container.conversations.create(user.id, { title: `Append target ${i}`, kind: 'chat', status: 'active' })).conversation.id);
  }
  return { key: key.key, meetingId: meeting.conversation.id, chats };
}

async function bare(file: string) {
  const routes = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { method: string; body: string; headers: Record<string, string> }>;
  const app = Fastify({ logger: false });
  for (const [path, r] of Object.entries(routes)) {
    const body = Buffer.from(r.body);
    app.route({ method: r.method as 'GET', url: path, handler: async (_req, reply) => reply.headers(r.headers).send(body) });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` }) + '\n');
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

if (mode === 'colloquy') await colloquy();
else if (mode === 'bare') await bare(process.argv[3]);
else throw new Error('usage: targets.ts colloquy|bare FILE');
