import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { creditUsage, creditPeriod } from '../../../domain/accounts/credits.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { autoAnalyseOf } from '../../../domain/accounts/service.js';
import { commonErrors, timeZone } from '../../schemas.js';

const settingsBody = z
  .object({
    timezone: timeZone.optional(),
    autoAnalyse: z.boolean({ error: 'Must be true, false or null (the plan default)' }).nullable().optional(),
  })
  .strict()
  .refine((b) => b.timezone !== undefined || b.autoAnalyse !== undefined, { message: 'Give timezone or autoAnalyse', path: ['body'] });

const usage = z.object({ used: z.number(), limit: z.number().nullable(), remaining: z.number().nullable(), resetsAt: z.string() });

const profileResponse = z.object({
  data: z.object({
    profile: z.object({
      name: z.string(),
      email: z.string(),
      timezone: z.string().describe('IANA zone relative dates are read in for conversations created without their own `timeZone`'),
      language: z.string(),
      createdAt: z.string(),
      autoAnalyse: z
        .boolean()
        .describe('Key points are generated in the background (1 AI credit each) for each new conversation with a transcript: created with content, imported, or completed. Unless set, on where AI credits are unlimited and off where they are limited'),
      autoAnalyseDefault: z.boolean().describe('`autoAnalyse` follows the plan (it was never set, or was set to null)'),
    }),
    subscription: z.object({ tier: z.string(), status: z.string(), currentPeriodEnd: z.string() }),
    apiUsage: z.object({
      aiGenerations: usage,
      rateLimit: z.object({ limit: z.number(), remaining: z.number(), resetsAt: z.string(), window: z.string() }),
    }),
  }),
});

export function registerProfile(app: App) {
  app.get(
    '/user/profile',
    {
      schema: {
        tags: ['User'],
        summary: 'Profile, subscription tier and API usage',
        response: {
          200: profileResponse,
          ...commonErrors,
        },
      },
    },
    async (request) => profileOf(app, request),
  );

  app.patch(
    '/user/profile',
    {
      schema: {
        tags: ['User'],
        summary: 'Update profile settings',
        description:
          "Sets the profile `timezone` (IANA, e.g. `Europe/Berlin`): conversations created or imported without their own `timeZone` have relative dates (\"tomorrow\", \"end of the week\") read in it. Analyses already generated keep their dates until regenerated (`forceRefresh`). Sets `autoAnalyse` (true, false, or null for the plan's default): key points generated in the background for new conversations, 1 AI credit each, skipped when the month's credits are used up. Answers like `GET /user/profile`.",
        body: settingsBody,
        response: { 200: profileResponse, ...commonErrors },
      },
    },
    async (request) => {
      await app.container.accounts.updateSettings(principalOf(request).userId, request.body);
      return profileOf(app, request);
    },
  );
}

async function profileOf(app: App, request: FastifyRequest) {
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
      profile: {
        name: user!.name,
        email: user!.email,
        timezone: user!.timezone,
        language: user!.language,
        createdAt: user!.created_at.toISOString(),
        autoAnalyse: autoAnalyseOf(user!, p.limits),
        autoAnalyseDefault: user!.auto_analyse === null,
      },
      subscription: { tier: p.tier, status: 'active', currentPeriodEnd: creditPeriod(now).resetsAt.toISOString() },
      apiUsage: {
        aiGenerations: ai,
        rateLimit: { limit: rate.limit, remaining: rate.remaining, resetsAt: new Date(rate.resetAt * 1000).toISOString(), window: '1h' },
      },
    },
  };
}
