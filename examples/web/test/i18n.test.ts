import { describe, expect, it } from 'vitest';
import { pickLocale } from '../src/i18n';
import { en } from '../src/locales/en';
import { zh } from '../src/locales/zh';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('labels', () => {
  it('has every English label in Chinese too', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });

  it('speaks Chinese when the browser asks for it first, English otherwise', () => {
    expect(pickLocale(['zh-CN', 'en-US'])).toBe('zh');
    expect(pickLocale(['zh-TW'])).toBe('zh');
    expect(pickLocale(['en-GB', 'zh-CN'])).toBe('en');
    expect(pickLocale(['fr-FR'])).toBe('en');
    expect(pickLocale(['zh-CN'], 'en')).toBe('en');
  });
});
