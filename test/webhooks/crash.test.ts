// Never lose an event: a server process that committed a change but was killed (SIGKILL) before
// delivering it sends the event after a restart. The first run keeps its worker off, so the crash
// is certain to fall between the commit and the delivery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyWebhook } from '../../src/integrations/webhooks/index.js';
import { freshDatabase } from '../helpers/db.js';
import { startReceiver, waitFor } from './helpers.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

interface Child {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Child {
  // Only what the server needs: the parent's test settings must not leak into it.
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[name]) base[name] = process.env[name]!;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, output: () => out, exited };
}

async function untilReady(child: Child, url: string): Promise<void> {
  await waitFor(
    async () => {
      if (child.proc.exitCode !== null) throw new Error(`server exited early:\n${child.output()}`);
      try {
        return (await fetch(`${url}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    'the server to listen',
    90_000,
  );
}

test('an event committed just before a SIGKILL is delivered after the restart', async () => {
  const receiver = await startReceiver();
  const dataDir = mkdtempSync(join(tmpdir(), 'colloquy-crash-'));
  const db = process.env.TEST_DATABASE_URL ? await freshDatabase() : null;
  await db?.database.close(); // the child migrates it; this process only needs the URL
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    COLLOQUY_WEBHOOKS_ALLOW_PRIVATE: 'true',
    COLLOQUY_CONFIG_FILE: join(dataDir, 'none.json'),
    LOG_LEVEL: 'silent',
    ...(db?.url ? { DATABASE_URL: db.url } : { COLLOQUY_DATA_DIR: dataDir }),
  };
  const children: Child[] = [];
  try {
    // An empty config file of our own, so no colloquy.config.json in the project changes the tiers.
    writeFileSync(env.COLLOQUY_CONFIG_FILE, '{}');

    const first = startServer({ ...env, COLLOQUY_WORKER: 'off' });
    children.push(first);
    await untilReady(first, url);
    const key = await waitFor(() => /API key: (convo_\S+)/.exec(first.output())?.[1], 'the demo key', 10_000);
    const api = async (method: string, path: string, body: unknown) => {
      const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const hook = await api('POST', '/api/v1/webhooks', { url: receiver.url('/after-crash'), events: ['conversation.created'] });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const conv = await api('POST', '/api/v1/conversations', { title: 'Committed, then the power went out' });
    assert.equal(conv.status, 200, JSON.stringify(conv.body));
    first.proc.kill('SIGKILL');
    await first.exited;
    assert.equal(receiver.received.length, 0, 'nothing was delivered before the crash');

    const second = startServer({ ...env, COLLOQUY_WORKER: 'inline' });
    children.push(second);
    await untilReady(second, url);
    const got = await waitFor(() => receiver.on('/after-crash')[0], 'the event after the restart', 30_000);
    assert.equal(got.json.event, 'conversation.created');
    assert.equal(got.json.data.conversationId, conv.body.data.id);
    assert.equal(verifyWebhook(hook.body.data.secret, got.headers, got.body).ok, true);

    const log = await fetch(`${url}/api/v1/webhooks/${hook.body.data.id}/deliveries`, { headers: { authorization: `Bearer ${key}` } });
    const [delivery] = ((await log.json()) as any).data;
    assert.equal(delivery.id, got.headers['webhook-id']);
    await waitFor(async () => {
      const res = await fetch(`${url}/api/v1/webhooks/${hook.body.data.id}/deliveries`, { headers: { authorization: `Bearer ${key}` } });
      return ((await res.json()) as any).data[0].status === 'delivered';
    }, 'the delivery to be recorded');

    second.proc.kill('SIGTERM');
    assert.equal(await second.exited, 0, `clean shutdown:\n${second.output()}`);
    assert.equal(receiver.on('/after-crash').length, 1, 'delivered once');
  } finally {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await receiver.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
