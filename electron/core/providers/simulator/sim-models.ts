// The models the demo serves per dialect, with the values each accepts in its own API's terms ("8s",
// "16:9", "1080p"), written out here rather than derived from SoraDesk's catalog: the simulator checks
// what the client actually sends, so a mapping mistake shows up as the upstream's refusal.
import type { SimDialect } from './sim-http';

type Value = string | number;

export interface NativeModel {
  /** Allowed values per field; a field may be absent (the default applies). */
  fields: Record<string, readonly Value[]>;
  defaults: Record<string, Value>;
  /** The field that says how long the video is. */
  durationField: string;
  /** A combination the fields alone do not forbid. */
  rule?: (input: Record<string, unknown>) => string | null;
}

const VEO_ASPECTS = ['16:9', '9:16'];
const eightSecondsOnlyAbove720 = (durationField: string, resolutionField: string, eight: Value) => (input: Record<string, unknown>) => {
  const res = input[resolutionField];
  return (res === '1080p' || res === '4k') && input[durationField] !== undefined && input[durationField] !== eight
    ? `${resolutionField} ${String(res)} is only available with ${durationField} ${String(eight)}`
    : null;
};

const GEMINI_VEO: NativeModel = {
  fields: { durationSeconds: [4, 6, 8], aspectRatio: VEO_ASPECTS, resolution: ['720p', '1080p', '4k'] },
  defaults: { durationSeconds: 8, aspectRatio: '16:9', resolution: '720p' },
  durationField: 'durationSeconds',
  rule: eightSecondsOnlyAbove720('durationSeconds', 'resolution', 8),
};

const FAL_VEO31: NativeModel = {
  fields: { duration: ['4s', '6s', '8s'], aspect_ratio: VEO_ASPECTS, resolution: ['720p', '1080p', '4k'], generate_audio: [true, false] as unknown as Value[] },
  defaults: { duration: '8s', aspect_ratio: '16:9', resolution: '720p' },
  durationField: 'duration',
};
const FAL_VEO3_FAST: NativeModel = { ...FAL_VEO31, fields: { ...FAL_VEO31.fields, resolution: ['720p', '1080p'] } };
const FAL_KLING: NativeModel = {
  fields: { duration: ['5', '10'], aspect_ratio: ['16:9', '9:16', '1:1'] },
  defaults: { duration: '5', aspect_ratio: '16:9' },
  durationField: 'duration',
};

const REPLICATE_VEO: NativeModel = {
  fields: { duration: [4, 6, 8], aspect_ratio: VEO_ASPECTS, resolution: ['720p', '1080p'], generate_audio: [true, false] as unknown as Value[] },
  defaults: { duration: 8, aspect_ratio: '16:9', resolution: '1080p' },
  durationField: 'duration',
};
const REPLICATE_KLING: NativeModel = {
  fields: { duration: [5, 10], aspect_ratio: ['16:9', '9:16', '1:1'] },
  defaults: { duration: 5, aspect_ratio: '16:9' },
  durationField: 'duration',
};
const REPLICATE_HAILUO: NativeModel = {
  fields: { duration: [6, 10], resolution: ['768p', '1080p'] },
  defaults: { duration: 6, resolution: '768p' },
  durationField: 'duration',
  rule: (input) => (input.resolution === '1080p' && input.duration === 10 ? '1080p supports only a 6-second duration' : null),
};

/** The openai demo plays a relay: seconds and size as the /v1/videos shape carries them. */
export const RELAY_MODELS: Record<string, { seconds: { min: number; max: number } | number[]; sizes: string[] }> = {
  'demo-video': { seconds: [4, 8, 12], sizes: ['720x1280', '1280x720', '1024x1792', '1792x1024'] },
  'demo-seedance': { seconds: { min: 4, max: 15 }, sizes: ['1344x768', '768x1344', '1024x1024'] },
  'demo-single-8s': { seconds: [8], sizes: ['1280x720', '720x1280'] },
};

const NATIVE: Record<Exclude<SimDialect, 'openai'>, Record<string, NativeModel>> = {
  gemini: { 'veo-3.1-fast-generate-001': GEMINI_VEO, 'veo-3.1-generate-001': GEMINI_VEO },
  fal: {
    'fal-ai/veo3.1': FAL_VEO31, 'fal-ai/veo3.1/image-to-video': FAL_VEO31,
    'fal-ai/veo3/fast': FAL_VEO3_FAST, 'fal-ai/veo3/fast/image-to-video': FAL_VEO3_FAST,
    'fal-ai/kling-video/v2.5-turbo/pro/text-to-video': FAL_KLING, 'fal-ai/kling-video/v2.5-turbo/pro/image-to-video': FAL_KLING,
  },
  replicate: { 'google/veo-3.1': REPLICATE_VEO, 'kwaivgi/kling-v2.5-turbo-pro': REPLICATE_KLING, 'minimax/hailuo-2.3': REPLICATE_HAILUO },
};

export function nativeModel(dialect: Exclude<SimDialect, 'openai'>, id: string): NativeModel | undefined {
  return NATIVE[dialect][id];
}

export function nativeModelIds(dialect: Exclude<SimDialect, 'openai'>): string[] {
  return Object.keys(NATIVE[dialect]);
}

/** What is wrong with an input for this model; null when nothing is. */
export function nativeProblem(model: NativeModel, input: Record<string, unknown>): string | null {
  for (const [field, allowed] of Object.entries(model.fields)) {
    const v = input[field];
    if (v !== undefined && !allowed.includes(v as Value)) {
      return `Invalid value for '${field}': ${JSON.stringify(v)}; expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
    }
  }
  return model.rule?.(input) ?? null;
}

/** The duration in whole seconds ("8s", "8" and 8 are all 8). */
export function nativeSeconds(model: NativeModel, input: Record<string, unknown>): number {
  const v = input[model.durationField] ?? model.defaults[model.durationField];
  return Number.parseInt(String(v), 10);
}

/** A WxH for an aspect ratio and resolution, for the job's own record. */
export function sizeOf(aspect: unknown, resolution: unknown): string {
  const short = resolution === '4k' ? 2160 : Number.parseInt(String(resolution ?? '1080'), 10) || 1080;
  const [w, h] = String(aspect ?? '16:9').split(':').map(Number);
  if (!w || !h) return `${Math.round((short * 16) / 9)}x${short}`;
  const long = Math.round((short * Math.max(w, h)) / Math.min(w, h));
  return w >= h ? `${long}x${short}` : `${short}x${long}`;
}
