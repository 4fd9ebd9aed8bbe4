import type { Config } from '../config.js';
import { createContainer } from '../container.js';
import { lockDataDir, readAdminEndpoint, type AdminEndpoint } from '../data-dir.js';
import { adminOps, type AdminOps } from '../domain/admin-operations.js';
import { AppError, errorStatus, type ErrorCode } from '../domain/errors.js';

export interface OpsSession {
  ops: AdminOps;
  close(): Promise<void>;
}

async function call<T>(endpoint: AdminEndpoint, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${endpoint.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const json = (await res.json()) as { data?: T; error?: { code: string; message: string; details?: Record<string, string> } };
  if (!res.ok || !json.data) {
    const code = (json.error?.code ?? 'internal_error') as ErrorCode;
    throw new AppError(code in errorStatus ? code : 'internal_error', json.error?.message ?? `Server answered ${res.status}`, { details: json.error?.details });
  }
  return json.data;
}

function httpOps(endpoint: AdminEndpoint): AdminOps {
  return {
    createUser: (input) => call(endpoint, '/_admin/users', input),
    createKey: (input) => call(endpoint, '/_admin/keys', input),
    revokeKey: (input) => call(endpoint, '/_admin/keys/revoke', input),
    importFile: (input) => call(endpoint, '/_admin/import', { ...input, data: input.data.toString('base64') }),
    calendarSet: (input) => call(endpoint, '/_admin/calendar', input),
  };
}

async function reachable(endpoint: AdminEndpoint): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint.url}/healthz`, { signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * PostgreSQL takes any number of writers, so the CLI opens it directly. The embedded database belongs
 * to one process: if a server is running on the data folder the CLI asks it, else it opens the folder itself.
 */
export async function openOps(config: Config): Promise<OpsSession> {
  if (!config.databaseUrl) {
    const endpoint = readAdminEndpoint(config.dataDir);
    if (endpoint && (await reachable(endpoint))) return { ops: httpOps(endpoint), close: async () => {} };
  }
  const unlock = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  try {
    const container = await createContainer(config);
    return {
      ops: adminOps(container),
      async close() {
        await container.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}
