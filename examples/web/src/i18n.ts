import { createI18n } from 'vue-i18n';
import { en } from './locales/en';
import { zh } from './locales/zh';

/** Languages the portal speaks. */
export type Locale = 'en' | 'zh';

const STORAGE_KEY = 'dataportal.locale';

/**
 * The language to start in: the one chosen before in this browser, else Chinese when the
 * browser asks for it first (the design's users write Chinese), else English.
 *
 * @param languages - the browser's preferred languages (`navigator.languages`)
 * @param saved - a language chosen earlier
 * @returns the locale
 */
export function pickLocale(languages: readonly string[], saved?: string | null): Locale {
  if (saved === 'en' || saved === 'zh') return saved;
  for (const l of languages) {
    const lower = l.toLowerCase();
    if (lower.startsWith('zh')) return 'zh';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function savedLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The app's i18n instance (composition mode). */
export const i18n = createI18n({
  legacy: false,
  locale: pickLocale(typeof navigator === 'undefined' ? [] : navigator.languages, savedLocale()),
  fallbackLocale: 'en',
  messages: { en, zh },
});

/** Switches language and remembers the choice in this browser. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not remembered
  }
  if (typeof document !== 'undefined') {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  }
}
