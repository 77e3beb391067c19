/** The `links` and `meta` of the account pages: their stylesheet and "<page> · Fanfare". */
import type { LinksFunction, MetaFunction } from '@remix-run/node';
import type { ParseKeys } from 'i18next';
import { translator } from '~/i18n/config';
import { languageFromMatches } from '~/i18n/meta';
import authCss from '~/styles/auth.css?url';

export const authLinks: LinksFunction = () => [{ rel: 'stylesheet', href: authCss }];

export function authMeta(titleKey: ParseKeys<'auth'>): MetaFunction {
  return ({ matches }) => {
    const t = translator(languageFromMatches(matches));
    return [{ title: t('app.pageTitle', { page: t(titleKey, { ns: 'auth' }) }) }];
  };
}
