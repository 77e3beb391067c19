/**
 * Issue 9 (headers) in a real Chromium against the dev server (`npm run dev`'s Vite
 * middlewares): a page arrives with the security headers, runs under its policy without a
 * violation, and the policy is really enforced — an injected inline script is refused, and
 * Chromium says so on the console, which is what openPage (support/editor.ts) listens for on
 * every page of the other browser tests (the editor's React Flow canvas among them).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { BASE_URL, launch } from './support/editor';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a page carries the security headers, runs under its policy, and the policy is enforced', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) violations.push(m.text());
  });
  const response = await page.goto(new URL('/', BASE_URL).href, { timeout: 90_000 });
  await page.waitForLoadState('networkidle', { timeout: 90_000 });
  const headers = await response!.allHeaders();
  assert.match(headers['content-security-policy'] ?? '', /script-src 'self' 'nonce-[^']+'/);
  assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'same-origin');
  assert.equal(headers['cross-origin-opener-policy'], 'same-origin');
  // Remix's inline scripts and the app's modules ran.
  await page.waitForFunction(() => '__remixRouteModules' in window);
  assert.deepEqual(violations, []);

  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.append(script);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  assert.equal(ran, false, 'an inline script without the nonce must not run');
  await page.waitForTimeout(200);
  assert.equal(violations.length, 1, 'Chromium reports the refused script on the console');
  await context.close();
});
