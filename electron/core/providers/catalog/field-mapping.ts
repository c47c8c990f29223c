// SoraDesk's one request shape {prompt, seconds, size, inputReference} as a model's own input, for
// the dialects whose models each name their fields (fal, Replicate). The catalog entry's mapping says
// which field takes what; a model the catalog does not know gets the dialect's usual names.
import type { InputReference } from '@shared/contract/messages';
import type { FieldMapping, ModelEntry } from '@shared/contract/model';
import { aspectRatioOf, resolutionOf } from '@shared/contract/model-rules';
import { referenceUrl } from '../input-reference';

export interface MappedInput {
  /** The endpoint or model to call (a mapping may send image-to-video to another endpoint). */
  modelId: string;
  input: Record<string, unknown>;
}

export interface MappingRequest {
  prompt: string;
  model: string;
  seconds?: string | null;
  size?: string | null;
  inputReference?: InputReference | null;
}

export function mapModelInput(dialect: 'fal' | 'replicate', entry: ModelEntry | null | undefined, fallback: FieldMapping, req: MappingRequest): MappedInput {
  const mapping = entry?.mapping ?? fallback;
  const input: Record<string, unknown> = { prompt: req.prompt, ...(mapping.fixed ?? {}) };
  let modelId = req.model;
  if (req.seconds != null && mapping.duration) {
    const n = Number(req.seconds);
    const { field, format } = mapping.duration;
    input[field] = format === 'integer' ? n : format === 'seconds-suffix' ? `${n}s` : String(n);
  }
  if (req.size) {
    if (mapping.aspectRatio) input[mapping.aspectRatio.field] = aspectRatioOf(req.size);
    if (mapping.resolution) input[mapping.resolution.field] = resolutionOf(req.size);
    if (mapping.size) input[mapping.size.field] = req.size.replace('x', mapping.size.separator);
  }
  if (req.inputReference) {
    const image = mapping.image ?? fallback.image;
    if (!image) throw new Error(`no field for a reference image in the ${dialect} mapping`);
    input[image.field] = referenceUrl(req.inputReference, dialect);
    if (image.modelId) modelId = image.modelId;
  }
  return { modelId, input };
}
