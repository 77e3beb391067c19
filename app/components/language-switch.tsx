import { Form, useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { supportedLanguages, type Language } from '~/i18n/config';

/** A plain POST form: it works before hydration and without JavaScript. */
export function LanguageSwitch({ current }: { current: Language }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Form method="post" action="/set-language" className="lang-switch">
      <span className="visually-hidden" id="lang-switch-label">
        {t('language.label')}
      </span>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <div className="lang-switch__options" role="group" aria-labelledby="lang-switch-label">
        {supportedLanguages.map((lng) => (
          <button
            key={lng}
            type="submit"
            name="lng"
            value={lng}
            lang={lng}
            aria-pressed={lng === current}
            className="lang-switch__option"
          >
            {t(`language.names.${lng}`)}
          </button>
        ))}
      </div>
    </Form>
  );
}
