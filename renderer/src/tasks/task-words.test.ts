import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { errorWords, etaWords, formatSpan, queueWords } from './task-words';

const t = translator('en');
const zh = translator('zh-CN');
const NOW = Date.UTC(2026, 10, 29, 2, 0, 0);
const at = (s: number) => new Date(NOW + s * 1000).toISOString();

describe('task words', () => {
  it('says the time left, and what the estimate comes from', () => {
    expect(etaWords({ etaAt: at(12), etaBasis: 'progress' }, NOW, t)).toEqual({ text: 'about 12 s left', basis: 'estimated from the progress so far' });
    expect(etaWords({ etaAt: at(185), etaBasis: 'typical' }, NOW, t)?.text).toBe('about 3 min left');
    expect(etaWords({ etaAt: at(185), etaBasis: 'typical' }, NOW, zh)?.text).toBe('约剩 3 分钟');
    expect(etaWords({ etaAt: at(-5), etaBasis: 'progress' }, NOW, t)?.text).toBe('any moment now');
    expect(etaWords({ etaAt: at(-120), etaBasis: 'progress' }, NOW, t)?.text).toBe('taking longer than expected');
    expect(etaWords({ etaAt: null, etaBasis: null }, NOW, t)).toBeNull();
    expect(formatSpan(3_900_000, t)).toBe('1 h 5 min');
  });

  it('names the queue position only where the upstream gave one', () => {
    expect(queueWords({ status: 'QUEUED', queuePosition: 3 }, t)).toBe('3 ahead in the queue');
    expect(queueWords({ status: 'QUEUED', queuePosition: 0 }, t)).toBe('next in the queue');
    expect(queueWords({ status: 'QUEUED', queuePosition: null }, t)).toBeNull();
    expect(queueWords({ status: 'PROCESSING', queuePosition: 2 }, t)).toBeNull();
  });

  it('puts errors in plain words with the details folded', () => {
    expect(errorWords({ errorCode: 'SUBMIT_UNCONFIRMED', error: 'The job may exist upstream: …' }, t)).toEqual({
      text: 'The provider did not confirm it got this job. It was not sent again, so you are not charged twice; check the provider before retrying.',
      details: 'The job may exist upstream: … (SUBMIT_UNCONFIRMED)',
    });
    expect(errorWords({ errorCode: 'content_policy_violation', error: 'Your prompt was flagged.' }, t)).toEqual({ text: 'Your prompt was flagged.', details: 'content_policy_violation' });
    expect(errorWords({ errorCode: null, error: null }, t)).toEqual({ text: 'The provider could not make this video.', details: null });
  });
});
