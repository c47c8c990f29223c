import { describe, expect, it } from 'vitest';
import { en } from './en';
import { languageForLocale } from '@shared/contract/values';
import { translator } from './index';
import { zhCN } from './zh-CN';

describe('i18n', () => {
  it('says 刷新进度 and 视频已完成 in Chinese, Refresh progress and Video ready in English', () => {
    expect(translator('zh-CN')('action.refresh')).toBe('刷新进度');
    expect(translator('zh-CN')('toast.completed')).toBe('视频已完成');
    expect(translator('en')('action.refresh')).toBe('Refresh progress');
    expect(translator('en')('toast.completed')).toBe('Video ready');
  });

  it('translates every English key into Chinese, with the same placeholders', () => {
    const missing = Object.keys(en).filter((k) => !zhCN[k as keyof typeof en]);
    expect(missing).toEqual([]);
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mismatched = Object.keys(en).filter((k) => holes(en[k as keyof typeof en]).join() !== holes(zhCN[k as keyof typeof en]).join());
    expect(mismatched).toEqual([]);
  });

  it('fills placeholders', () => {
    expect(translator('en')('tasks.count', { shown: 3, total: 10 })).toBe('3 of 10');
  });

  it('defaults to Chinese only for a Chinese OS locale, in every spelling an OS gives it', () => {
    expect(languageForLocale('zh-CN')).toBe('zh-CN');
    expect(languageForLocale('zh-Hans-SG')).toBe('zh-CN');
    expect(languageForLocale('zh_CN.UTF-8')).toBe('zh-CN');
    expect(languageForLocale('zh')).toBe('zh-CN');
    expect(languageForLocale('zu-ZA')).toBe('en');
    expect(languageForLocale('en-GB')).toBe('en');
    expect(languageForLocale(undefined)).toBe('en');
  });
});
