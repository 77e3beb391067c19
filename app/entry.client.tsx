import { RemixBrowser } from '@remix-run/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createI18n, fallbackLanguage, isLanguage } from '~/i18n/config';

// Hydrate in the language the server rendered (it wrote it into <html lang>), so the first
// client render produces exactly the server's text.
const serverLanguage = document.documentElement.lang;
const i18n = createI18n(isLanguage(serverLanguage) ? serverLanguage : fallbackLanguage);

startTransition(() => {
  hydrateRoot(
    document,
    <I18nextProvider i18n={i18n}>
      <StrictMode>
        <RemixBrowser />
      </StrictMode>
    </I18nextProvider>,
  );
});
