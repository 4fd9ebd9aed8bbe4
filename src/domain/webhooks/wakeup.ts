// LISTEN on PostgreSQL so a worker hears about new deliveries at commit instead of at its next
// poll. It needs a connection of its own: a pooled connection would be handed to other queries
// and drop the subscription. Polling keeps running underneath, so losing this connection only
// costs latency; it is re-opened with backoff.
import pg from 'pg';

export const WAKEUP_CHANNEL = 'colloquy_webhooks';

export interface WakeupLog {
  warn(obj: object, msg: string): void;
}

export interface Listener {
  close(): Promise<void>;
}

export function listenForWakeups(opts: {
  connectionString: string;
  onWake: () => void;
  log?: WakeupLog;
  channel?: string;
  maxBackoffMs?: number;
}): Listener {
  const { connectionString, onWake, log, channel = WAKEUP_CHANNEL, maxBackoffMs = 30_000 } = opts;
  let closed = false;
  let client: pg.Client | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let backoffMs = 500;

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, backoffMs);
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
  };

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString });
    client = c;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      if (!closed) log?.warn({ err }, 'webhook wake-up listener lost its connection; polling continues');
      c.removeAllListeners('notification');
      c.end().catch(() => undefined);
      if (client === c) client = null;
      scheduleReconnect();
    };
    c.on('error', fail);
    c.on('end', () => fail(new Error('connection ended')));
    c.on('notification', (n) => {
      if (n.channel === channel) onWake();
    });
    try {
      await c.connect();
      await c.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (closed) {
        await c.end().catch(() => undefined);
        return;
      }
      backoffMs = 500;
      // Anything committed while we were not listening would otherwise wait for the next poll.
      onWake();
    } catch (err) {
      fail(err);
    }
  };

  void connect();

  return {
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners('notification');
        await c.end().catch(() => undefined);
      }
    },
  };
}
