// The catalog's rules: what a model allows, how a creation outside it is refused, how entries merge, how
// the request fills a model's own input.
import { describe, expect, it } from 'vitest';
import { ModelEntrySchema, type ModelEntry } from '@shared/contract/model';
import { aspectRatioOf, creationProblems, pricePerSecondFor, resolutionOf, secondsChoices, sizesFor } from '@shared/contract/model-rules';
import { BUILTIN_MODELS, defaultModelId } from './builtin-models';
import { demoModels } from './demo-models';
import { mapModelInput } from './field-mapping';
import { checkCreation, listedEntry, mergeCatalog } from './model-catalog';
import { catalogToStore, defaultModel, profileCatalog } from './profile-catalog';

const veo = BUILTIN_MODELS.gemini.find((m) => m.id === 'veo-3.1-generate-001')!;
const hailuo = BUILTIN_MODELS.replicate.find((m) => m.id === 'minimax/hailuo-2.3')!;

describe('catalog entries', () => {
  it('are all valid by the contract schema, name their source, and no dialect defaults to a gone model', () => {
    for (const [dialect, entries] of Object.entries(BUILTIN_MODELS)) {
      for (const m of [...entries, ...demoModels(dialect as keyof typeof BUILTIN_MODELS)]) {
        expect(ModelEntrySchema.safeParse(m).error).toBeUndefined();
        expect(m.source).toBeTruthy();
      }
    }
    expect(defaultModelId('openai')).toBeNull();
    for (const d of ['gemini', 'fal', 'replicate'] as const) expect(defaultModelId(d)).not.toMatch(/^sora/);
    expect(JSON.stringify(BUILTIN_MODELS)).not.toMatch(/"sora-2/);
  });
});

describe('what a model allows', () => {
  it('names aspect ratios and resolutions from sizes', () => {
    expect([aspectRatioOf('1280x720'), aspectRatioOf('720x1280'), aspectRatioOf('1440x1440'), aspectRatioOf('1366x768'), aspectRatioOf('1000x700')]).toEqual(['16:9', '9:16', '1:1', '16:9', '10:7']);
    expect([resolutionOf('1280x720'), resolutionOf('1080x1920'), resolutionOf('3840x2160'), resolutionOf('1366x768')]).toEqual(['720p', '1080p', '4k', '768p']);
  });

  it('offers at each duration only the sizes that allow it, and prices by resolution', () => {
    expect(sizesFor(veo, 4)).toEqual(['1280x720', '720x1280']);
    expect(sizesFor(veo, 8)).toHaveLength(6);
    expect(pricePerSecondFor(veo, '1920x1080')).toBe(0.40);
    expect(pricePerSecondFor(veo, '3840x2160')).toBe(0.60);
    expect(pricePerSecondFor(hailuo, '1920x1080')).toBeNull();
    expect(secondsChoices({ min: 4, max: 7 })).toEqual([4, 5, 6, 7]);
  });

  it('refuses a creation outside the entry as BAD_REQUEST naming the allowed values', () => {
    expect(() => checkCreation(veo, { seconds: '5', size: '1280x720', hasImage: false })).toThrow(/5 s is not offered by Veo 3\.1 \(veo-3\.1-generate-001\); allowed: 4, 6, 8 s/);
    expect(() => checkCreation(veo, { seconds: '4', size: '1920x1080', hasImage: false })).toThrow(/at 1920x1080; allowed: 8 s/);
    expect(() => checkCreation(veo, { seconds: '8', size: '640x480', hasImage: false })).toThrow(/size 640x480 .*allowed: 1280x720, 720x1280, 1920x1080/);
    const textOnly: ModelEntry = { ...veo, kinds: ['text-to-video'] };
    expect(() => checkCreation(textOnly, { hasImage: true })).toThrow(/does not take a reference image/);
    const refusal = (() => { try { checkCreation(veo, { seconds: '5', hasImage: false }); return null; } catch (err) { return err; } })();
    expect(refusal).toMatchObject({ code: 'BAD_REQUEST' });
    expect(() => checkCreation(veo, { seconds: '6', size: '720x1280', hasImage: true })).not.toThrow();
    // A model the catalog does not know passes as given.
    expect(() => checkCreation(null, { seconds: '999', size: '1x1', hasImage: true })).not.toThrow();
    expect(creationProblems(listedEntry('someone/new-model'), { seconds: 37, size: '999x333', hasImage: false })).toEqual([]);
  });
});

describe('merging a catalog', () => {
  it('lets the user\'s edit win over a built-in entry, a built-in one over a listed one, and keeps listed unknowns', () => {
    const edited: ModelEntry = { ...veo, label: 'My Veo', pricePerSecond: 0.5, origin: 'user' };
    const mine: ModelEntry = { ...listedEntry('my-own'), origin: 'user' };
    const merged = mergeCatalog(BUILTIN_MODELS.gemini, [edited, mine], [listedEntry('veo-3.1-generate-001', 'Veo 3.1 (listed)'), listedEntry('veo-4-preview')]);
    expect(merged.map((m) => [m.id, m.origin])).toEqual([
      ['veo-3.1-fast-generate-001', 'builtin'], ['veo-3.1-generate-001', 'user'], ['my-own', 'user'], ['veo-4-preview', 'listed'],
    ]);
    expect(merged[1].label).toBe('My Veo');
  });
});

describe('field mapping', () => {
  it('fills the fields the entry names, in their formats, with fixed inputs and the image endpoint', () => {
    const falVeo = BUILTIN_MODELS.fal[0];
    expect(mapModelInput('fal', falVeo, {}, { prompt: 'p', model: falVeo.id, seconds: '6', size: '720x1280' })).toEqual({
      modelId: 'fal-ai/veo3.1', input: { prompt: 'p', generate_audio: true, duration: '6s', aspect_ratio: '9:16', resolution: '720p' },
    });
    expect(mapModelInput('fal', falVeo, {}, { prompt: 'p', model: falVeo.id, inputReference: { imageUrl: 'https://img.invalid/a.png' } })).toEqual({
      modelId: 'fal-ai/veo3.1/image-to-video', input: { prompt: 'p', generate_audio: true, image_url: 'https://img.invalid/a.png' },
    });
    expect(mapModelInput('replicate', hailuo, {}, { prompt: 'p', model: hailuo.id, seconds: '6', size: '1920x1080' }).input).toEqual({ prompt: 'p', duration: 6, resolution: '1080p' });
    expect(mapModelInput('replicate', null, { size: { field: 'size', separator: '*' }, image: { field: 'img' } }, { prompt: 'p', model: 'a/b', size: '1280x720' }).input).toEqual({ prompt: 'p', size: '1280*720' });
  });
});

describe('a profile\'s catalog', () => {
  it('is the dialect\'s built-ins until edited, then the saved list, untouched built-ins following this version', () => {
    expect(profileCatalog('gemini', undefined)).toEqual(BUILTIN_MODELS.gemini);
    expect(profileCatalog('openai', null)).toEqual([]);
    const [fast, standard] = BUILTIN_MODELS.gemini;
    const mine: ModelEntry = { ...listedEntry('veo-4-preview'), seconds: [8], sizes: ['1280x720'], origin: 'user' };
    const stored = catalogToStore('gemini', [{ ...fast }, { ...standard, pricePerSecond: 0.5 }, mine]);
    expect(stored.map((m) => [m.id, m.origin])).toEqual([[fast.id, 'builtin'], [standard.id, 'user'], ['veo-4-preview', 'user']]);
    // A built-in entry stored by an older version reads as this version's.
    const old = [{ ...fast, pricePerSecond: 99 }, stored[1], stored[2]];
    expect(profileCatalog('gemini', old).map((m) => m.pricePerSecond)).toEqual([fast.pricePerSecond, 0.5, null]);
    expect(defaultModel(profileCatalog('gemini', stored))?.id).toBe(fast.id);
    expect(defaultModel(profileCatalog('openai', undefined))).toBeNull();
  });
});
