/**
 * Accounts for browser tests: a user made straight through the services (on the stack's
 * database), and signing in through the real /login page.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { createRequestAuth } from '../../../app/lib/request-auth.server';
import { createServices, OPERATOR } from '../../../services';
import type { Role } from '../../../services/members/roles';
import { testDb } from './db';

/**
 * A user with `role` in the installation's first organization (made, adopting the brands so
 * far, when there is none); nothing changes when the email has an account already.
 */
export async function ensureUser(
  email: string,
  password: string,
  role: Role = 'owner',
): Promise<void> {
  const services = createServices({ db: testDb().db });
  if (await services.users.byEmail(email)) return;
  const [first] = await services.members.organizations.list();
  await services.members.createUser(OPERATOR, {
    email,
    password,
    organization: first?.slug ?? 'E2E Organization',
    role,
  });
}

/** Signs in on /login (in the page's language: fields found by their labels) and waits for the page after it. */
export async function signIn(
  page: Page,
  email: string,
  password: string,
  labels: { email: string; password: string; submit: string },
): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/login')) {
    await page.goto(new URL('/login', page.url()).href);
  }
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login')),
    page.getByRole('button', { name: labels.submit, exact: true }).click(),
  ]);
  await page.getByTestId('header-user').waitFor({ state: 'visible' });
}

/** The account every browser test works as (an owner of the installation's first organization). */
export const E2E_OWNER = { email: 'e2e-owner@fanfare.example', password: 'e2e owner password' };

/**
 * Signs `context` in as `email` (made by ensureUser with `role` when new): a session made by
 * the same service /login uses, its cookie set as /login's answer sets it. For tests whose
 * subject is not the sign-in page itself (auth.e2e.ts signs in through the form).
 */
export async function signInContext(
  context: BrowserContext,
  baseUrl: string,
  account: { email: string; password: string; role?: Role } = E2E_OWNER,
): Promise<void> {
  await ensureUser(account.email, account.password, account.role ?? 'owner');
  const services = createServices({ db: testDb().db });
  const user = await services.users.byEmail(account.email);
  if (!user) throw new Error(`signInContext: no user ${account.email}`);
  const session = await services.sessions.create(user.id);
  const auth = createRequestAuth({ services, production: false, trustedProxyHops: 0 });
  const [pair] = (await auth.sessionCookieHeader(session)).split(';');
  const [name, ...value] = pair!.split('=');
  await context.addCookies([
    { name: name!, value: value.join('='), url: baseUrl, httpOnly: true, sameSite: 'Lax' },
  ]);
}
