import { z } from 'zod';
import { creditUsage, creditPeriod } from '../../../domain/accounts/credits.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors } from '../../schemas.js';

const usage = z.object({ used: z.number(), limit: z.number().nullable(), remaining: z.number().nullable(), resetsAt: z.string() });

export function registerProfile(app: App) {
  app.get(
    '/user/profile',
    {
      schema: {
        tags: ['User'],
        summary: 'Profile, subscription tier and API usage',
        response: {
          200: z.object({
            data: z.object({
              profile: z.object({ name: z.string(), email: z.string(), timezone: z.string(), language: z.string(), createdAt: z.string() }),
              subscription: z.object({ tier: z.string(), status: z.string(), currentPeriodEnd: z.string() }),
              apiUsage: z.object({
                aiGenerations: usage,
                rateLimit: z.object({ limit: z.number(), remaining: z.number(), resetsAt: z.string(), window: z.string() }),
              }),
            }),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { db, accounts, rateLimiter } = app.container;
      const now = app.container.clock();
      const [user, ai, rate] = await Promise.all([
        accounts.findUserById(p.userId),
        creditUsage(db, p.userId, p.limits.aiGenerationsPerMonth, now),
        rateLimiter.peek(p.userId, p.limits.requestsPerHour, now.getTime()),
      ]);
      return {
        data: {
          profile: { name: user!.name, email: user!.email, timezone: user!.timezone, language: user!.language, createdAt: user!.created_at.toISOString() },
          subscription: { tier: p.tier, status: 'active', currentPeriodEnd: creditPeriod(now).resetsAt.toISOString() },
          apiUsage: {
            aiGenerations: ai,
            rateLimit: { limit: rate.limit, remaining: rate.remaining, resetsAt: new Date(rate.resetAt * 1000).toISOString(), window: '1h' },
          },
        },
      };
    },
  );
}
