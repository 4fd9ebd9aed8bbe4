import { loadConfig, type Config } from '../../src/config.js';
import { createContainer, type Container, type ContainerOverrides } from '../../src/container.js';
import { buildApp, type AppOptions } from '../../src/http/app.js';
import type { App } from '../../src/http/types.js';
import type { TierName } from '../../src/domain/accounts/tiers.js';
import { freshDatabase } from './db.js';
import { openDatabase } from '../../src/db/database.js';

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  key?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: string | Buffer | FormData | Blob;
}

export interface TestApp {
  app: App;
  container: Container;
  url: string;
  config: Config;
  databaseUrl: string | null;
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<TestResponse<T>>;
  /** A new user of `tier` with one key. */
  user(tier?: TierName, email?: string): Promise<{ userId: string; key: string; keyId: string; email: string }>;
  close(): Promise<void>;
}

let counter = 0;

/** Requests over real HTTP to the server at `url`. */
function requester(url: string) {
  return async function request<T = any>(method: string, path: string, o: RequestOptions = {}): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.key) headers.authorization = `Bearer ${o.key}`;
    let body: any = o.raw;
    if (o.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    }
    const res = await fetch(url + path, { method, headers, body });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
}

async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** The real server on 127.0.0.1 with a fresh database; requests go over real HTTP. */
export async function startTestApp(
  opts: { env?: Record<string, string>; overrides?: Omit<ContainerOverrides, 'database'>; adminToken?: string; logger?: AppOptions['logger'] } = {},
): Promise<TestApp> {
  const config = loadConfig({ COLLOQUY_DEMO_USER: 'false', LOG_LEVEL: 'silent', PORT: '0', COLLOQUY_CONFIG_FILE: '', ...opts.env });
  // The API's statement limit applies to the test database as it would to the configured one.
  const { database, url: databaseUrl, drop } = await freshDatabase({ statementTimeoutMs: config.statementTimeoutMs });
  const container = await createContainer(config, { ...opts.overrides, database });
  const app = await buildApp(container, { adminToken: opts.adminToken, logger: opts.logger });
  const url = await listen(app);

  const request = requester(url);

  return {
    app,
    container,
    url,
    config,
    databaseUrl,
    request,
    async user(tier: TierName = 'professional', email?: string) {
      const e = email ?? `user${++counter}-${Date.now()}@example.com`;
      const u = await container.accounts.createUser({ email: e, name: `Test ${counter}`, tier });
      const k = await container.accounts.createKey(u.id, 'test');
      return { userId: u.id, key: k.key, keyId: k.id, email: e };
    },
    async close() {
      await app.close();
      await container.close();
      await drop();
    },
  };
}

/**
 * A second server process's worth of app on the first one's PostgreSQL database (its own pool,
 * caches and batching), as another process would be.
 */
export async function startSecondInstance(
  first: TestApp,
  overrides: Omit<ContainerOverrides, 'database'> = {},
): Promise<Pick<TestApp, 'container' | 'url' | 'request' | 'close'>> {
  if (!first.databaseUrl) throw new Error('a second instance needs PostgreSQL (TEST_DATABASE_URL)');
  const database = await openDatabase({ databaseUrl: first.databaseUrl, poolSize: 5 });
  const container = await createContainer(first.config, { ...overrides, database });
  const app = await buildApp(container);
  const url = await listen(app);
  return {
    container,
    url,
    request: requester(url),
    async close() {
      await app.close();
      await container.close();
    },
  };
}

/** A meeting body with n segments, one minute apart. */
export function meetingBody(n: number, start = '2026-03-18T14:00:00.000Z') {
  const t0 = Date.parse(start);
  const speakers = ['Alice', 'Bob', 'Sarah'];
  return {
    title: 'Q1 Planning Review',
    startTime: start,
    segments: Array.from({ length: n }, (_, i) => ({
      speaker: speakers[i % 3],
      text: `Segment ${i}: let's review item ${i} of the plan and agree the next step.`,
      timestamp: new Date(t0 + i * 60_000).toISOString(),
    })),
  };
}
