/**
 * The `links` and `meta` every brand-resource page exports: the shared stylesheet, and a
 * title "<page> · Fanfare" in the reader's language.
 */
import type { LinksFunction, MetaFunction } from '@remix-run/node';
import type { ParseKeys } from 'i18next';
import resourcesCss from '~/components/resources/resources.css?url';
import { translator } from '~/i18n/config';
import { languageFromMatches } from '~/i18n/meta';

export const resourceLinks: LinksFunction = () => [{ rel: 'stylesheet', href: resourcesCss }];

export function resourceMeta(titleKey: ParseKeys<'resources'>): MetaFunction {
  return ({ matches }) => {
    const t = translator(languageFromMatches(matches));
    return [{ title: t('app.pageTitle', { page: t(titleKey, { ns: 'resources' }) }) }];
  };
}
