// Wires the delivery worker to a container: inline in the server by default, or in
// `colloquy worker` processes on PostgreSQL.
import { pino } from 'pino';
import type { Container } from '../../container.js';
import { parseSchedule } from '../../integrations/webhooks/schedule.js';
import { guardedDispatcher, type LookupFn } from '../../integrations/net/ssrf.js';
import type { WorkerStarter } from '../../workers.js';
import { listenForWakeups } from './wakeup.js';
import { DeliveryWorker, type DeliveryWorkerOptions } from './worker.js';

export type WebhookWorkerOverrides = Partial<Omit<DeliveryWorkerOptions, 'db' | 'dispatcher'>> & {
  /** PostgreSQL URL to LISTEN on; defaults to the configured DATABASE_URL (none on PGlite). */
  listenUrl?: string | null;
  /** DNS for the guarded dispatcher (tests simulate rebinding with it). */
  lookup?: LookupFn;
};

export interface RunningWebhookWorker {
  worker: DeliveryWorker;
  stop(): Promise<void>;
}

export async function runWebhookWorker(container: Container, opts: WebhookWorkerOverrides = {}): Promise<RunningWebhookWorker> {
  const { config } = container;
  const { listenUrl = config.databaseUrl, lookup, ...overrides } = opts;
  const log = pino({ name: 'webhooks', level: config.logLevel });
  const dispatcher = guardedDispatcher({ allowPrivate: config.webhooks.allowPrivate, lookup });
  const pglite = container.database.kind === 'pglite';
  const worker = new DeliveryWorker({
    db: container.db,
    dispatcher,
    schedule: parseSchedule(config.webhooks.retrySchedule ?? undefined),
    clock: container.clock,
    maxInFlight: config.webhooks.concurrency,
    perUser: config.webhooks.perUser,
    perEndpoint: config.webhooks.perEndpoint,
    circuit: config.webhooks.circuit,
    // PGlite cannot deliver notifications through Kysely, so it polls more eagerly; a poll there
    // is an in-process index lookup.
    idlePollMs: pglite ? 500 : 1_000,
    busyPollMs: pglite ? 100 : 200,
    log,
    openSecret: (stored) => container.secrets.open(stored),
    onAttempt: (r) => container.metrics.webhookDeliveries.inc({ outcome: r.decision.status === 'pending' ? 'retrying' : r.decision.status }),
    ...overrides,
  });
  worker.start();
  const listener = listenUrl ? listenForWakeups({ connectionString: listenUrl, onWake: () => worker.wake(), log }) : null;
  return {
    worker,
    async stop() {
      await listener?.close();
      await worker.stop();
      await dispatcher.close();
    },
  };
}

export const startWebhookWorker: WorkerStarter = async (container) => (await runWebhookWorker(container)).stop;
