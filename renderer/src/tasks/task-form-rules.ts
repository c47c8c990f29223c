// What the New task form checks before anything is sent, so the user hears about it at once.
import type { RequestInput } from '@shared/contract/messages';
import { MAX_PROMPT_LENGTH, SECONDS_PATTERN, SIZE_PATTERN } from '@shared/contract/values';
import type { MessageKey } from '../i18n';

export const MAX_REFERENCE_BYTES = 700 * 1024;

export interface NewTaskDraft {
  prompt: string;
  providerId: string;
  model: string;
  seconds: string;
  size: string;
}

export type DraftErrors = Partial<Record<'prompt' | 'seconds' | 'size' | 'reference', MessageKey>>;

/**
 * The form of the fields. Which values a model takes is the catalog's business: the composer offers only
 * those (model-choice.ts), and the core refuses others naming them.
 */
export function validateDraft(d: NewTaskDraft): DraftErrors {
  const errors: DraftErrors = {};
  const seconds = d.seconds.trim();
  const size = d.size.trim();
  if (!d.prompt.trim()) errors.prompt = 'new.errPrompt';
  else if (d.prompt.length > MAX_PROMPT_LENGTH) errors.prompt = 'new.errPromptLong';
  if (seconds && !SECONDS_PATTERN.test(seconds)) errors.seconds = 'new.errSeconds';
  if (size && !SIZE_PATTERN.test(size)) errors.size = 'new.errSize';
  return errors;
}

/** A reference image must be an image and small enough to travel in one frame as a data URL. */
export function checkReference(file: { size: number; type: string }): MessageKey | null {
  if (!file.type.startsWith('image/')) return 'new.errImageType';
  if (file.size >= MAX_REFERENCE_BYTES) return 'new.errImage';
  return null;
}

/** The createTask payload: empty optional fields are left out so the provider's defaults apply. */
export function toCreatePayload(d: NewTaskDraft, reference: string | null): RequestInput<'createTask'> {
  return {
    prompt: d.prompt.trim(),
    ...(d.providerId ? { providerId: d.providerId } : {}),
    ...(d.model.trim() ? { model: d.model.trim() } : {}),
    ...(d.seconds.trim() ? { seconds: d.seconds.trim() } : {}),
    ...(d.size.trim() ? { size: d.size.trim() } : {}),
    ...(reference ? { inputReference: reference } : {}),
  };
}

/** "1:05" or "1:02:03": how long a task has been (or was) on its way. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
