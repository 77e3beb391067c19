import { describe, expect, it } from 'vitest';
import { isCrossSite, readBytes, readForm, readJson } from './body.server';

const post = (headers: Record<string, string>, body?: BodyInit | null) =>
  new Request('http://fanfare.test:3000/tags?brand=a', { method: 'POST', headers, body });

/** A body streamed in chunks with no Content-Length, as `Transfer-Encoding: chunked` sends. */
function chunked(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ >= chunks) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
}
const streamed = (headers: Record<string, string>, body: ReadableStream<Uint8Array>) =>
  new Request('http://fanfare.test:3000/x', {
    method: 'POST',
    headers,
    body,
    duplex: 'half',
  } as RequestInit);

describe('isCrossSite', () => {
  it.each([
    [{}, false],
    [{ 'sec-fetch-site': 'same-origin' }, false],
    [{ 'sec-fetch-site': 'none' }, false],
    [{ 'sec-fetch-site': 'cross-site' }, true],
    [{ 'sec-fetch-site': 'same-site' }, true],
    [{ 'sec-fetch-site': 'cross-site', origin: 'http://fanfare.test:3000' }, true],
    [{ origin: 'http://fanfare.test:3000' }, false],
    [{ origin: 'https://fanfare.test:3000' }, false],
    [{ origin: 'http://evil.example' }, true],
    [{ origin: 'http://fanfare.test:3001' }, true],
    [{ origin: 'null' }, true],
  ])('%j → %s', (headers, expected) => {
    expect(isCrossSite(post(headers))).toBe(expected);
  });
});

describe('readBytes', () => {
  it('refuses a declared length over the cap without reading', async () => {
    const read = await readBytes(post({ 'content-length': '2000' }, 'x'), 1000);
    expect(read).toEqual({
      ok: false,
      refusal: { status: 413, reason: 'tooLarge', maxBytes: 1000 },
    });
  });
  it('cuts a chunked body off at the cap (413), reads one under it whole', async () => {
    expect(await readBytes(streamed({}, chunked(100, 1024)), 10 * 1024)).toMatchObject({
      ok: false,
      refusal: { status: 413 },
    });
    const ok = await readBytes(streamed({}, chunked(10, 1024)), 10 * 1024);
    expect(ok.ok && ok.value.byteLength).toBe(10 * 1024);
  });
});

describe('readJson', () => {
  it.each([
    [{ 'content-type': 'application/x-www-form-urlencoded' }, 'a=1', 415, 'notJson'],
    [{ 'content-type': 'text/plain' }, '{}', 415, 'notJson'],
    [{}, '{}', 415, 'notJson'],
    [{ 'content-type': 'application/json' }, '{', 400, 'badJson'],
    [{ 'content-type': 'application/json' }, '', 400, 'badJson'],
    [{ 'content-type': 'application/json' }, new Uint8Array([0x7b, 0xff, 0x7d]), 400, 'badJson'],
  ])('%j %j → %i %s', async (headers, body, status, reason) => {
    expect(await readJson(post(headers, body), 1024)).toEqual({
      ok: false,
      refusal: { status, reason },
    });
  });
  it('parses application/json and +json, with parameters', async () => {
    for (const type of [
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/merge-patch+json',
    ])
      expect(await readJson(post({ 'content-type': type }, '{"a":[1]}'), 1024)).toEqual({
        ok: true,
        value: { a: [1] },
      });
  });
});

describe('readForm', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  it.each([
    [{ 'content-type': 'application/json' }, '{"lng":"en"}', 415, 'notForm'],
    [{}, 'lng=en', 415, 'notForm'],
    [{ 'content-type': 'multipart/form-data; boundary=x' }, 'garbage', 400, 'badForm'],
    [form, 'lng=en&name=a%00b', 400, 'badText'],
    [form, 'a%00=1', 400, 'badText'],
  ])('%j %j → %i %s', async (headers, body, status, reason) => {
    expect(await readForm(post(headers, body), 1024)).toEqual({
      ok: false,
      refusal: { status, reason },
    });
  });
  it('reads URL-encoded and multipart forms', async () => {
    const read = await readForm(post(form, 'lng=zh-CN&redirectTo=%2F%3Fbrand%3Da'), 1024);
    expect(read.ok && Object.fromEntries(read.value)).toEqual({
      lng: 'zh-CN',
      redirectTo: '/?brand=a',
    });
    const data = new FormData();
    data.set('intent', 'import');
    data.set('file', new File(['CODE123\n'], 'codes.csv'));
    const multipart = new Request('http://x/', { method: 'POST', body: data });
    const parsed = await readForm(multipart, 1024);
    expect(parsed.ok && parsed.value.get('intent')).toBe('import');
  });
});
