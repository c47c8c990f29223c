import { describe, expect, it } from 'vitest';
import * as messages from '@shared/contract/messages';
import * as provider from '@shared/contract/provider';
import * as settings from '@shared/contract/settings';
import * as status from '@shared/contract/status';
import * as mine from './contract-values';

describe('the renderer copy of contract values', () => {
  it('matches shared/contract exactly', () => {
    expect(mine.TASK_STATUSES).toEqual(status.TASK_STATUSES);
    expect(mine.ACTIVE_STATUSES).toEqual(status.ACTIVE_STATUSES);
    expect(mine.DIALECTS).toEqual(provider.DIALECTS);
    expect(mine.LANGUAGES).toEqual(settings.LANGUAGES);
    expect(mine.MIN_POLL_INTERVAL_MS).toBe(settings.MIN_POLL_INTERVAL_MS);
    expect(mine.MAX_PROMPT_LENGTH).toBe(messages.MAX_PROMPT_LENGTH);
    for (const s of status.TASK_STATUSES) expect(mine.isTerminal(s)).toBe(status.isTerminal(s));
  });
});
