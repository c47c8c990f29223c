// A model in a provider's catalog: what it accepts (durations, sizes, a reference image), what a
// second of it costs, and how SoraDesk's one request shape {prompt, seconds, size, inputReference}
// fills the model's own input. Types are inferred from the schemas; the rules live in model-rules.ts.
import { z } from 'zod';

export const MODEL_KINDS = ['text-to-video', 'image-to-video', 'remix'] as const;
export const ModelKindSchema = z.enum(MODEL_KINDS);
export type ModelKind = z.infer<typeof ModelKindSchema>;

const secondsValue = z.number().int().positive().max(3600);

/** A list of allowed durations (an empty list: not known, anything is sent as given) or a range. */
export const AllowedSecondsSchema = z.union([
  z.array(secondsValue).max(100),
  z.object({ min: secondsValue, max: secondsValue }).strict().refine((r) => r.min <= r.max, 'min must not exceed max'),
]);
export type AllowedSeconds = z.infer<typeof AllowedSecondsSchema>;

export const ModelSizeSchema = z.string().regex(/^\d{2,5}x\d{2,5}$/, 'a size looks like 1280x720');

const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'a field name');

/**
 * How the request fills a model's input where the dialect lets each model name its own fields
 * (fal, Replicate). Absent parts use the dialect's usual field names.
 */
export const FieldMappingSchema = z.object({
  /** `integer`: 8; `string`: "8"; `seconds-suffix`: "8s". */
  duration: z.object({ field: fieldName, format: z.enum(['integer', 'string', 'seconds-suffix']) }).strict().optional(),
  /** "16:9" from the size. */
  aspectRatio: z.object({ field: fieldName }).strict().optional(),
  /** "720p" from the size ("4k" for 2160). */
  resolution: z.object({ field: fieldName }).strict().optional(),
  /** The size itself, "1280x720" or "1280*720". */
  size: z.object({ field: fieldName, separator: z.enum(['x', '*']) }).strict().optional(),
  /** Where a reference image goes; `modelId`: another endpoint to call when there is one (fal). */
  image: z.object({ field: fieldName, modelId: z.string().min(1).max(200).optional() }).strict().optional(),
  /** Inputs the model needs that SoraDesk has no field for, always sent as given here. */
  fixed: z.record(fieldName, z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
}).strict();
export type FieldMapping = z.infer<typeof FieldMappingSchema>;

export const MODEL_ORIGINS = ['builtin', 'listed', 'user'] as const;

export const ModelEntrySchema = z.object({
  id: z.string().trim().min(1).max(200),
  label: z.string().trim().min(1).max(200),
  kinds: z.array(ModelKindSchema).min(1).max(3),
  seconds: AllowedSecondsSchema,
  /** Allowed sizes (WxH); an empty list: not known. */
  sizes: z.array(ModelSizeSchema).max(50),
  /** Sizes that allow fewer durations than the model does (Veo: 1080p and 4k only at 8 s). */
  secondsBySize: z.array(z.object({ sizes: z.array(ModelSizeSchema).min(1).max(50), seconds: AllowedSecondsSchema }).strict()).max(20).optional(),
  /** Whether the video comes with sound. */
  audio: z.boolean(),
  /** Price of one second of video; null: not known. */
  pricePerSecond: z.number().nonnegative().max(1000).nullable(),
  /** Where the price differs by resolution ("720p", "1080p", "4k"): that price instead. */
  priceByResolution: z.record(z.string().regex(/^\d{3,4}p$|^4k$/), z.number().nonnegative().max(1000)).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
  mapping: FieldMappingSchema.optional(),
  /** Where the constraints and the price were read, and when. */
  source: z.string().max(500).nullable().optional(),
  /** builtin: shipped with SoraDesk; listed: named by the provider; user: added or edited by hand. */
  origin: z.enum(MODEL_ORIGINS),
}).strict();
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
