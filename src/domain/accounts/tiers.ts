import { z } from 'zod';

export const tierNames = ['free', 'starter', 'professional', 'enterprise'] as const;
export type TierName = (typeof tierNames)[number];

// null means unlimited (SPEC §4: enterprise returns null limit/remaining).
export const tierSchema = z.object({
  apiAccess: z.boolean(),
  maxKeys: z.number().int().min(0).nullable(),
  aiGenerationsPerMonth: z.number().int().min(0).nullable(),
  maxWebhooks: z.number().int().min(0).nullable(),
  requestsPerHour: z.number().int().min(0),
});
export type Tier = z.infer<typeof tierSchema>;
export type TierTable = Record<TierName, Tier>;

export function defaultTiers(): TierTable {
  return {
    free: { apiAccess: false, maxKeys: 1, aiGenerationsPerMonth: 0, maxWebhooks: 0, requestsPerHour: 0 },
    starter: { apiAccess: true, maxKeys: 1, aiGenerationsPerMonth: 10, maxWebhooks: 0, requestsPerHour: 100 },
    professional: { apiAccess: true, maxKeys: 3, aiGenerationsPerMonth: 100, maxWebhooks: 3, requestsPerHour: 500 },
    enterprise: { apiAccess: true, maxKeys: 10, aiGenerationsPerMonth: null, maxWebhooks: null, requestsPerHour: 2000 },
  };
}
