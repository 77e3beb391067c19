import { Link, NavLink } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Language } from '~/i18n/config';
import { LanguageSwitch } from './language-switch';
import { navItems } from './nav-items';

function Logo() {
  return (
    <svg className="brandmark__logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" />
      <path d="M9 23V9h12M9 16h9" />
      <circle cx="23.5" cy="21.5" r="2.5" />
    </svg>
  );
}

export function AppHeader({ lang }: { lang: Language }) {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <Link to="/" className="brandmark">
          <Logo />
          <span className="brandmark__text">
            <span className="brandmark__name">{t('app.name')}</span>
            <span className="brandmark__tagline">{t('app.tagline')}</span>
          </span>
        </Link>
        <nav className="main-nav" aria-label={t('nav.label')}>
          <ul>
            {navItems.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {t(item.labelKey)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <LanguageSwitch current={lang} />
      </div>
    </header>
  );
}
