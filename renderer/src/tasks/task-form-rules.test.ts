import { describe, expect, it } from 'vitest';
import { CreateTaskPayloadSchema } from '@shared/contract/messages';
import { checkReference, formatElapsed, toCreatePayload, validateDraft } from './task-form-rules';

const draft = { prompt: 'a cat', providerId: 'demo', model: '', seconds: '4', size: '1280x720' };

describe('New task rules', () => {
  it('asks for a prompt and well-formed duration and size before sending', () => {
    expect(validateDraft(draft)).toEqual({});
    expect(validateDraft({ ...draft, prompt: '   ' })).toEqual({ prompt: 'new.errPrompt' });
    expect(validateDraft({ ...draft, seconds: '4.5', size: 'big' })).toEqual({ seconds: 'new.errSeconds', size: 'new.errSize' });
  });

  it('refuses a reference image of 700 KB or more, and anything not an image', () => {
    expect(checkReference({ size: 699 * 1024, type: 'image/png' })).toBeNull();
    expect(checkReference({ size: 700 * 1024, type: 'image/png' })).toBe('new.errImage');
    expect(checkReference({ size: 10, type: 'application/pdf' })).toBe('new.errImageType');
  });

  it('builds a payload the contract accepts, leaving blank options to the provider', () => {
    const payload = toCreatePayload({ ...draft, prompt: '  a cat  ' }, null);
    expect(payload).toEqual({ prompt: 'a cat', providerId: 'demo', seconds: '4', size: '1280x720' });
    expect(CreateTaskPayloadSchema.safeParse(payload).success).toBe(true);
  });

  it('formats elapsed time as m:ss and h:mm:ss', () => {
    expect(formatElapsed(65_000)).toBe('1:05');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(-5)).toBe('0:00');
  });
});
