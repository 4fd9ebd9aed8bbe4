import { AppError } from '../domain/errors.js';
import Fastify, { type FastifyServerOptions } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../container.js';
import { pooledRandomBytes, randomBase62 } from '../domain/ids.js';
import { assertNesting, assertNoNul, toWellFormed } from '../domain/conversations/input-text.js';
import { authenticate } from './auth.js';
import { clientErrorHandler, limitConnectionsPerAddress, serverTimeouts } from './connection-limits.js';
import { registerErrorHandling } from './error-handler.js';
import type { App } from './types.js';
import { registerSystem } from './routes/system.js';
import { registerAdmin } from './routes/admin/admin.js';
import { registerApiRoutes } from './routes/index.js';
import { registerDashboard } from './dashboard.js';
import { registerMcp } from './mcp.js';
import { registerDashboardSession } from './routes/dashboard-session.js';
import { registerSharedPage } from './routes/share/page.js';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Token for the local admin interface; when absent the interface is not mounted. */
  adminToken?: string | null;
}

// Converra allows 512 KB of content; JSON escaping and the rest of the body need headroom, and
// `segments` bodies may carry larger meetings. Anything past this is 413 before parsing.
const BODY_LIMIT = 9 * 1024 * 1024;

export async function buildApp(container: Container, opts: AppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    trustProxy: container.config.trustProxy,
    genReqId: () => `req_${randomBase62(16, pooledRandomBytes)}`,
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ...serverTimeouts(container.config.http),
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;
  limitConnectionsPerAddress(app.server, container.config.http.maxConnectionsPerIp);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('container', container);
  app.decorateRequest('principal', null);
  registerErrorHandling(app);
  // PostgreSQL refuses U+0000 in text and jsonb: refuse it here (400) rather than fail in the database
  // (500). Lone surrogates, which jsonb also refuses, become U+FFFD as they would in a text column.
  app.addHook('preValidation', async (request) => {
    assertNoNul(request.params);
    assertNoNul(request.query);
    if (request.body !== undefined) {
      // First, so that the checks after it see every level.
      assertNesting(request.body);
      assertNoNul(request.body);
      request.body = toWellFormed(request.body);
    }
  });

  // JSON is read as UTF-8 whatever charset the request names: a body declared in another charset
  // (utf-16, latin1) would be misread, so it is refused before anything reads it.
  app.addHook('preParsing', async (request) => {
    const type = request.headers['content-type'];
    if (typeof type !== 'string' || !/^\s*application\/json\s*;/i.test(type)) return;
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1]?.toLowerCase();
    if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii'].includes(charset)) {
      throw new AppError('validation_error', `JSON bodies must be UTF-8; charset=${charset} is not supported`, { details: { 'content-type': 'Use charset=utf-8 or leave the charset out' } });
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    container.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Colloquy API',
        version: '1.0.0',
        description: 'Convo API v1 compatible conversation-intelligence server, with Converra-style conversation logging.',
      },
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key: convo_…' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (doc) => ('openapiObject' in doc ? (markOptionalBodies(doc.openapiObject as OpenApiDocument) as typeof doc.openapiObject) : doc.swaggerObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  await app.register(multipart, { limits: { fileSize: 8 * 1024 * 1024, files: 1 } });

  registerSystem(app);
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  if (opts.adminToken) registerAdmin(app, opts.adminToken);
  registerSharedPage(app);

  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticate(container));
      registerApiRoutes(api as unknown as App);
    },
    { prefix: '/api/v1' },
  );
  await app.register(async (scope) => registerDashboardSession(scope as unknown as App), { prefix: '/api/v1/dashboard' });

  await registerMcp(app, container);
  await registerDashboard(app);
  return app;
}

type OpenApiDocument = { paths?: Record<string, Record<string, { requestBody?: { required?: boolean; content?: Record<string, { schema?: { anyOf?: { type?: unknown }[] } }> } }>> };

/**
 * @fastify/swagger marks every request body required. A body schema that also accepts null (zod
 * `.nullish()`, e.g. `POST /keys`) means the body may be left out, so the document says so.
 */
function markOptionalBodies(doc: OpenApiDocument): OpenApiDocument {
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(operations)) {
      const content = op?.requestBody?.content;
      if (!content) continue;
      const optional = Object.values(content).every((media) => media.schema?.anyOf?.some((s) => s.type === 'null'));
      if (optional) op.requestBody!.required = false;
    }
  }
  return doc;
}
