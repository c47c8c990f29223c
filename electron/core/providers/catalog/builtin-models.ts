// The models SoraDesk knows out of the box, per dialect: their documented durations, sizes and
// prices, and how the request fills their input. Each entry names where it was read and when; a
// price that could not be read from the provider's own page is null (the UI says "price unknown").
// The first entry of a dialect is the model used when a creation names none. The openai dialect has
// none: OpenAI's own Videos API and sora-2 are gone (2026-09-24), and each relay serves its own models,
// which it lists at GET /v1/models.
import type { ProviderDialect } from '@shared/contract/dialects';
import type { ModelEntry } from '@shared/contract/model';

const LANDSCAPE_PORTRAIT_720 = ['1280x720', '720x1280'];
const LANDSCAPE_PORTRAIT_1080 = ['1920x1080', '1080x1920'];
const LANDSCAPE_PORTRAIT_4K = ['3840x2160', '2160x3840'];

const builtin = (e: Omit<ModelEntry, 'origin' | 'currency'> & { currency?: string }): ModelEntry => ({ currency: 'USD', ...e, origin: 'builtin' });

// Gemini API (Veo). ai.google.dev/gemini-api/docs/video, read 2026-12-02: Veo 3.1 makes 4, 6 or 8 s at
// 720p, 1080p or 4k, 16:9 or 9:16, with sound; 1080p and 4k only at 8 s; GA ids end in -001.
// Prices from ai.google.dev/gemini-api/docs/pricing as quoted on 2026-03-02 by a rate-limit guide
// (aifreeapi.com) and the Veo pages of docs.dev.xavier.icvr.xyz, read 2026-12-02; the pricing page
// itself was not in the stored copy.
const VEO_31_SIZES = [...LANDSCAPE_PORTRAIT_720, ...LANDSCAPE_PORTRAIT_1080, ...LANDSCAPE_PORTRAIT_4K];
const VEO_31_EIGHT_ONLY = [{ sizes: [...LANDSCAPE_PORTRAIT_1080, ...LANDSCAPE_PORTRAIT_4K], seconds: [8] }];

const GEMINI: ModelEntry[] = [
  builtin({
    id: 'veo-3.1-fast-generate-001', label: 'Veo 3.1 Fast', kinds: ['text-to-video', 'image-to-video'],
    seconds: [4, 6, 8], sizes: VEO_31_SIZES, secondsBySize: VEO_31_EIGHT_ONLY, audio: true,
    pricePerSecond: 0.15, priceByResolution: { '4k': 0.35 },
    source: 'ai.google.dev/gemini-api/docs/video and /pricing (Veo 3.1 Fast $0.15/s, 4k $0.35/s), read 2026-12-02',
  }),
  builtin({
    id: 'veo-3.1-generate-001', label: 'Veo 3.1', kinds: ['text-to-video', 'image-to-video'],
    seconds: [4, 6, 8], sizes: VEO_31_SIZES, secondsBySize: VEO_31_EIGHT_ONLY, audio: true,
    pricePerSecond: 0.40, priceByResolution: { '4k': 0.60 },
    source: 'ai.google.dev/gemini-api/docs/video and /pricing (Veo 3.1 $0.40/s, 4k $0.60/s), read 2026-12-02',
  }),
];

// fal: each model takes its own input; its page lists fields and price (fal.ai/models/<id>/llms.txt).
const FAL: ModelEntry[] = [
  builtin({
    id: 'fal-ai/veo3.1', label: 'Veo 3.1 (fal)', kinds: ['text-to-video', 'image-to-video'],
    seconds: [4, 6, 8], sizes: VEO_31_SIZES, audio: true,
    // With audio (generate_audio true): $0.40/s at 720p and 1080p, $0.60/s at 4k.
    pricePerSecond: 0.40, priceByResolution: { '4k': 0.60 },
    mapping: {
      duration: { field: 'duration', format: 'seconds-suffix' }, aspectRatio: { field: 'aspect_ratio' }, resolution: { field: 'resolution' },
      image: { field: 'image_url', modelId: 'fal-ai/veo3.1/image-to-video' }, fixed: { generate_audio: true },
    },
    source: 'fal.ai/models/fal-ai/veo3.1/llms.txt (duration 4s/6s/8s, aspect 16:9/9:16, 720p/1080p/4k), read 2026-12-02',
  }),
  builtin({
    id: 'fal-ai/veo3/fast', label: 'Veo 3 Fast (fal)', kinds: ['text-to-video', 'image-to-video'],
    seconds: [4, 6, 8], sizes: [...LANDSCAPE_PORTRAIT_720, ...LANDSCAPE_PORTRAIT_1080], audio: true,
    // $0.15/s with audio on ($0.10 without).
    pricePerSecond: 0.15,
    mapping: {
      duration: { field: 'duration', format: 'seconds-suffix' }, aspectRatio: { field: 'aspect_ratio' }, resolution: { field: 'resolution' },
      image: { field: 'image_url', modelId: 'fal-ai/veo3/fast/image-to-video' }, fixed: { generate_audio: true },
    },
    source: 'fal.ai/models/fal-ai/veo3/fast/llms.txt (duration 4s/6s/8s, aspect 16:9/9:16), read 2026-12-02',
  }),
  builtin({
    id: 'fal-ai/kling-video/v2.5-turbo/pro/text-to-video', label: 'Kling 2.5 Turbo Pro (fal)', kinds: ['text-to-video', 'image-to-video'],
    // 16:9, 9:16 and 1:1; Kling renders them at 1920x1080, 1080x1920 and 1440x1440.
    seconds: [5, 10], sizes: ['1920x1080', '1080x1920', '1440x1440'], audio: false,
    // $0.35 for 5 s and $0.07 for each further second.
    pricePerSecond: 0.07,
    mapping: {
      duration: { field: 'duration', format: 'string' }, aspectRatio: { field: 'aspect_ratio' },
      image: { field: 'image_url', modelId: 'fal-ai/kling-video/v2.5-turbo/pro/image-to-video' },
    },
    source: 'fal model fal-ai/kling-video/v2.5-turbo/pro (duration "5"/"10", aspect 16:9/9:16/1:1, $0.35 per 5 s) as listed by eachlabs.ai and wavespeed.ai, read 2026-12-02; sizes from docs.leonardo.ai (Kling 2.5 Turbo)',
  }),
];

// Replicate: official models run at /v1/models/{owner}/{name}/predictions; inputs from each model's API tab.
const REPLICATE: ModelEntry[] = [
  builtin({
    id: 'kwaivgi/kling-v2.5-turbo-pro', label: 'Kling 2.5 Turbo Pro (Replicate)', kinds: ['text-to-video', 'image-to-video'],
    seconds: [5, 10], sizes: ['1920x1080', '1080x1920', '1440x1440'], audio: false,
    pricePerSecond: 0.07,
    mapping: { duration: { field: 'duration', format: 'integer' }, aspectRatio: { field: 'aspect_ratio' }, image: { field: 'start_image' } },
    source: 'replicate.com/kwaivgi/kling-v2.5-turbo-pro (duration 5/10, aspect 16:9/9:16/1:1, start_image) as mirrored by api.core.today; $0.35 per 5 s from eachlabs.ai, read 2026-12-02',
  }),
  builtin({
    id: 'google/veo-3.1', label: 'Veo 3.1 (Replicate)', kinds: ['text-to-video', 'image-to-video'],
    seconds: [4, 6, 8], sizes: [...LANDSCAPE_PORTRAIT_720, ...LANDSCAPE_PORTRAIT_1080], audio: true,
    pricePerSecond: null,
    mapping: {
      duration: { field: 'duration', format: 'integer' }, aspectRatio: { field: 'aspect_ratio' }, resolution: { field: 'resolution' },
      image: { field: 'image' }, fixed: { generate_audio: true },
    },
    source: 'replicate.com/google/veo-3.1 API schema (duration 4/6/8, 16:9/9:16, 720p/1080p, image), read 2026-12-02; no price in the stored copy',
  }),
  builtin({
    id: 'minimax/hailuo-2.3', label: 'Hailuo 2.3 (Replicate)', kinds: ['text-to-video', 'image-to-video'],
    // 768p takes 6 or 10 s; 1080p only 6 s.
    seconds: [6, 10], sizes: ['1366x768', '1920x1080'], secondsBySize: [{ sizes: ['1920x1080'], seconds: [6] }], audio: false,
    pricePerSecond: null,
    mapping: { duration: { field: 'duration', format: 'integer' }, resolution: { field: 'resolution' }, image: { field: 'first_frame_image' } },
    source: 'replicate.com/minimax/hailuo-2.3 API schema (duration 6/10, 768p/1080p, 1080p only 6 s, first_frame_image), read 2026-12-02; no price in the stored copy',
  }),
];

export const BUILTIN_MODELS: Readonly<Record<ProviderDialect, readonly ModelEntry[]>> = {
  openai: [],
  sora: [],
  gemini: GEMINI,
  fal: FAL,
  replicate: REPLICATE,
};

/** The model a creation that names none goes to; null: the upstream's own default (relays). */
export function defaultModelId(dialect: ProviderDialect): string | null {
  return BUILTIN_MODELS[dialect][0]?.id ?? null;
}
