// The built-in demo's catalog per dialect: what its simulator accepts. The openai demo plays a relay
// serving other models than Sora, each with its own limits (4, 8 or 12 s; 4 to 15 s at 1344x768; a single
// 8 s clip); the other dialects offer their built-in models. Demo jobs cost nothing, so every price is 0.
import type { ProviderDialect } from '@shared/contract/dialects';
import type { ModelEntry } from '@shared/contract/model';
import { BUILTIN_MODELS } from './builtin-models';

const DEMO_SOURCE = 'SoraDesk demo simulator';

const RELAY_MODELS: ModelEntry[] = [
  {
    id: 'demo-video', label: 'Demo video, 4, 8 or 12 s', kinds: ['text-to-video', 'image-to-video', 'remix'],
    seconds: [4, 8, 12], sizes: ['720x1280', '1280x720', '1024x1792', '1792x1024'], audio: false,
    pricePerSecond: 0, currency: 'USD', source: DEMO_SOURCE, origin: 'builtin',
  },
  {
    id: 'demo-seedance', label: 'Seedance-style, 4 to 15 s (demo)', kinds: ['text-to-video', 'image-to-video', 'remix'],
    seconds: { min: 4, max: 15 }, sizes: ['1344x768', '768x1344', '1024x1024'], audio: false,
    pricePerSecond: 0, currency: 'USD', source: DEMO_SOURCE, origin: 'builtin',
  },
  {
    id: 'demo-single-8s', label: 'Single 8 s clip (demo)', kinds: ['text-to-video', 'remix'],
    seconds: [8], sizes: ['1280x720', '720x1280'], audio: true,
    pricePerSecond: 0, currency: 'USD', source: DEMO_SOURCE, origin: 'builtin',
  },
];

export function demoModels(dialect: ProviderDialect): ModelEntry[] {
  if (dialect === 'openai') return RELAY_MODELS.map((m) => ({ ...m }));
  return BUILTIN_MODELS[dialect].map(({ priceByResolution: _real, ...m }) => ({ ...m, pricePerSecond: 0, source: DEMO_SOURCE }));
}

export function demoDefaultModelId(dialect: ProviderDialect): string | null {
  return demoModels(dialect)[0]?.id ?? null;
}
