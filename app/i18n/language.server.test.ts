import { describe, expect, it } from 'vitest';
import { languageFromAcceptLanguage, readCookie, resolveLanguage } from './language.server';

const request = (headers: Record<string, string>) => new Request('http://localhost/', { headers });

describe('resolveLanguage', () => {
  it.each([
    [{}, 'en'],
    [{ 'Accept-Language': 'zh-CN,zh;q=0.9' }, 'zh-CN'],
    [{ 'Accept-Language': 'zh-TW' }, 'zh-CN'],
    [{ 'Accept-Language': 'zh-Hant-HK, en;q=0.5' }, 'zh-CN'],
    [{ 'Accept-Language': 'en-US,en;q=0.9,zh-CN;q=0.8' }, 'en'],
    [{ 'Accept-Language': 'en;q=0.4, zh;q=0.8' }, 'zh-CN'],
    [{ 'Accept-Language': 'fr-FR, de' }, 'en'],
    [{ 'Accept-Language': 'zh-CN', Cookie: 'other=1; fanfare_lng=en' }, 'en'],
    [{ 'Accept-Language': 'en-US', Cookie: 'fanfare_lng=zh-CN' }, 'zh-CN'],
    [{ 'Accept-Language': 'zh-CN', Cookie: 'fanfare_lng=klingon' }, 'zh-CN'],
  ])('%o → %s', (headers, expected) => {
    expect(resolveLanguage(request(headers))).toBe(expected);
  });

  it('ignores languages refused with q=0', () => {
    expect(languageFromAcceptLanguage('zh;q=0, en-GB')).toBe('en');
  });
});

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('a=1; fanfare_lng=zh-CN; b=2', 'fanfare_lng')).toBe('zh-CN');
    expect(readCookie('xfanfare_lng=en', 'fanfare_lng')).toBeUndefined();
    expect(readCookie(null, 'fanfare_lng')).toBeUndefined();
  });
});
