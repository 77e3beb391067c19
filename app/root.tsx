// First: zod must know before any schema is built in the browser (see the module).
import '~/lib/zod-jitless';
import type {
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from '@remix-run/node';
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteLoaderData,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AppHeader } from '~/components/app-header';
import { ErrorView } from '~/components/error-view';
import { fallbackLanguage, isLanguage, translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { useSyncLanguage } from '~/i18n/use-sync-language';
import { currentSession } from '~/lib/auth.server';
import { useNonce } from '~/lib/http/nonce';
import stylesheet from '~/styles/app.css?url';

export const links: LinksFunction = () => [
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'stylesheet', href: stylesheet },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await currentSession(request);
  // Only what the header shows: never the session id or anything secret.
  const user = session ? { email: session.user.email, name: session.user.name } : null;
  return { lang: resolveLanguage(request), user };
}

// The same URL renders in another language depending on these request headers.
export const headers: HeadersFunction = () => ({ Vary: 'Cookie, Accept-Language' });

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: translator(data?.lang ?? fallbackLanguage)('app.name') },
];

export function Layout({ children }: { children: ReactNode }) {
  // Absent when the root loader itself failed: fall back to the language i18n already has.
  const data = useRouteLoaderData<typeof loader>('root');
  const { t, i18n } = useTranslation();
  const lang = data?.lang ?? (isLanguage(i18n.language) ? i18n.language : fallbackLanguage);
  // Sign-in, setup and invitation pages are for people without access: no section links there.
  const bare = useMatches().some((m) => (m.handle as { bare?: boolean } | undefined)?.bare);
  useSyncLanguage(lang);
  const nonce = useNonce();
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t('app.skipToContent')}
        </a>
        <AppHeader lang={lang} user={data?.user ?? null} nav={!bare} />
        <main id="main" className="page">
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorView />;
}
