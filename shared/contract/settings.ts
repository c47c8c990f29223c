import { z } from 'zod';
import { BudgetSchema, NO_BUDGET } from './cost';
import { DEMO_PROVIDER_ID, LANGUAGES, MAX_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS, MIN_TRACKING_TIMEOUT_MS, THEMES } from './values';

export { LANGUAGES, languageForLocale, MIN_POLL_INTERVAL_MS, type Language } from './values';

export const LanguageSchema = z.enum(LANGUAGES);

export const SettingsSchema = z.object({
  pollIntervalMs: z.number().int().min(MIN_POLL_INTERVAL_MS).max(MAX_POLL_INTERVAL_MS),
  language: LanguageSchema,
  defaultProviderId: z.string(),
  /** True once the user picked the default by hand; then a newly saved provider does not take over. */
  defaultProviderChosen: z.boolean(),
  autoDownload: z.boolean(),
  libraryDir: z.string().nullable(),
  trackingTimeoutMs: z.number().int().min(MIN_TRACKING_TIMEOUT_MS),
  /** The UI's colours, in every window: the system's light or dark, or one of them always. */
  theme: z.enum(THEMES),
  /** Spending limits over every provider (each provider may have its own too). */
  budget: BudgetSchema,
  /** The UI asks before sending a batch whose estimate is above this (null: never asks). */
  batchConfirmAbove: z.number().nonnegative().max(1_000_000).nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/**
 * Any subset of the settings. `defaultProviderChosen` is read-only: it is accepted (a client may send
 * back the whole object it got) and ignored; setting `defaultProviderId` is what marks the choice.
 */
export const SettingsPatchSchema = SettingsSchema.partial().strict().transform(({ defaultProviderChosen: _readOnly, ...patch }) => patch);
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  pollIntervalMs: 10_000,
  language: 'en',
  defaultProviderId: DEMO_PROVIDER_ID,
  defaultProviderChosen: false,
  autoDownload: true,
  libraryDir: null,
  trackingTimeoutMs: 24 * 60 * 60 * 1000,
  theme: 'system',
  budget: NO_BUDGET,
  batchConfirmAbove: 5,
};
