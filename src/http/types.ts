import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../container.js';
import type { Principal } from '../domain/accounts/service.js';
import type { ConversationRow } from '../db/schema.js';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /**
     * On routes with `config.preloadConversation`: the conversation named by `:id`, read by the
     * statement that admitted the request (null: no such id). Owner and deletion are not checked yet.
     */
    preloadedConversation?: ConversationRow | null;
  }
  interface FastifyContextConfig {
    /** The route reads the conversation `:id`: load it with the rate-limit hit (see authenticate). */
    preloadConversation?: boolean;
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
