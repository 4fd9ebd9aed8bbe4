import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  analyses: Counter<'kind' | 'engine' | 'outcome'>;
  webhookDeliveries: Counter<'outcome'>;
  /** Requests answered per grouped statement (see Coalescer), by statement. */
  dbBatchSize: Histogram<'statement'>;
  /** Grouped statements that failed and were retried one request at a time. */
  dbBatchRetries: Counter<'statement'>;
}

/** One registry per container (no global default registry), so several apps can live in one test process. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'colloquy_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'colloquy_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    analyses: new Counter({ name: 'colloquy_analyses_total', help: 'AI analyses run', labelNames: ['kind', 'engine', 'outcome'], registers: [registry] }),
    webhookDeliveries: new Counter({ name: 'colloquy_webhook_attempts_total', help: 'Webhook delivery attempts', labelNames: ['outcome'], registers: [registry] }),
    dbBatchSize: new Histogram({
      name: 'colloquy_db_batch_size',
      help: 'Requests answered by one grouped database statement',
      labelNames: ['statement'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    dbBatchRetries: new Counter({
      name: 'colloquy_db_batch_retries_total',
      help: 'Grouped statements that failed and were retried one request at a time',
      labelNames: ['statement'],
      registers: [registry],
    }),
  };
}
