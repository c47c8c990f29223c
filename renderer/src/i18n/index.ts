// Dictionaries and the React context that picks one. Accessible names stay English-first in `en`.
import { createContext, useContext } from 'react';
import type { Language } from '@shared/contract/values';
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export function translator(language: Language): Translate {
  const dict = DICTIONARIES[language];
  return (key, vars) => {
    const text = dict[key] ?? en[key];
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}

export const I18nContext = createContext<{ language: Language; t: Translate }>({ language: 'en', t: translator('en') });

export function useI18n(): { language: Language; t: Translate } {
  return useContext(I18nContext);
}
