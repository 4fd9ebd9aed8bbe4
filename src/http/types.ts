import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../container.js';
import type { Principal } from '../domain/accounts/service.js';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    container: Container;
  }
}

/** The authenticated caller; only call inside the authenticated API scope. */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new Error('route registered outside the authenticated scope');
  return request.principal;
}
