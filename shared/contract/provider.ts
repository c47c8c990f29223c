import { z } from 'zod';
import { BudgetSchema } from './cost';
import { ModelEntrySchema } from './model';
import { DIALECTS } from './values';

export { DEMO_PROVIDER_ID, DIALECTS, type Dialect } from './values';

export const DialectSchema = z.enum(DIALECTS);

/** A provider as clients see it: the key itself never leaves the service. */
export const ProviderViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  dialect: DialectSchema,
  baseUrl: z.string(),
  hasApiKey: z.boolean(),
  apiKeyHint: z.string().nullable(),
  rateLimitPerMinute: z.number().int().positive().nullable(),
  builtIn: z.boolean(),
  /** The provider's model catalog: the dialect's built-in entries, or the list the user saved. */
  models: z.array(ModelEntrySchema),
  /** Jobs sent and not ended at once, at most; more wait here (null: no cap). Absent from older senders. */
  maxActiveJobs: z.number().int().positive().nullable().optional(),
  /** This provider's own spending limits. Absent from older senders. */
  budget: BudgetSchema.optional(),
});
export type ProviderView = z.infer<typeof ProviderViewSchema>;

/** A provider profile as stored in settings (no key: that lives in the keychain). */
export const ProviderProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  dialect: DialectSchema,
  baseUrl: z.string(),
  rateLimitPerMinute: z.number().int().positive().nullable(),
  apiKeyHint: z.string().nullable().default(null),
  /** The catalog the user saved; absent or null: the dialect's built-in entries. */
  models: z.array(ModelEntrySchema).nullable().optional(),
  /** Absent: DEFAULT_MAX_ACTIVE_JOBS; null: no cap. */
  maxActiveJobs: z.number().int().positive().max(1000).nullable().optional(),
  budget: BudgetSchema.optional(),
});
export type ProviderProfile = z.infer<typeof ProviderProfileSchema>;

/** The hint shown for a key: its last 4 characters when it has 16 or more, else nothing. */
export function apiKeyHint(key: string): string | null {
  return key.length >= 16 ? key.slice(-4) : null;
}
