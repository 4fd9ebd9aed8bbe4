import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  analyses: Counter<'kind' | 'engine' | 'outcome'>;
  webhookDeliveries: Counter<'outcome'>;
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
  };
}
