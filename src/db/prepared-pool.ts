import { createHash } from 'node:crypto';
import type pg from 'pg';

// Statements the hot paths repeat (authentication, rate limits, appends, reads) are sent as named
// prepared statements: PostgreSQL then parses and plans each one once per connection instead of on
// every request. Only data statements are named; DDL and transaction control stay unnamed.
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;
const MAX_NAMED_PER_CLIENT = 500;

type QueryFn = (...args: unknown[]) => unknown;

// Names by statement text, so the hot paths hash each text once per process, not once per query.
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `c_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
    // Texts that vary (multi-row inserts) are not worth keeping: cap the map instead of growing forever.
    if (names.size < 2_000) names.set(text, name);
  }
  return name;
}

function prepareClient(client: pg.PoolClient): pg.PoolClient {
  const marked = client as pg.PoolClient & { __prepared?: Set<string> };
  if (marked.__prepared) return client;
  const names = new Set<string>();
  // Names whose plan went stale (another process changed a table's columns): sent unnamed from then on.
  const stale = new Set<string>();
  marked.__prepared = names;
  const original = client.query.bind(client) as QueryFn;
  (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values) && PREPARABLE.test(text)) {
      const name = statementName(text);
      // Statements with many distinct texts (multi-row inserts) would otherwise pile up on the server.
      if (!stale.has(name) && (names.has(name) || names.size < MAX_NAMED_PER_CLIENT)) {
        names.add(name);
        return (original({ name, text, values }) as Promise<unknown>).catch((err: { code?: string }) => {
          // "cached plan must not change result type": a migration changed the table under us.
          if (err?.code !== '0A000') throw err;
          stale.add(name);
          return original(text, values);
        });
      }
    }
    return original(...args);
  };
  return client;
}

/** A pool whose clients send repeated data statements as named prepared statements. */
export function withPreparedStatements(pool: pg.Pool): pg.Pool {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  (pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => prepareClient(await connect());
  return pool;
}
