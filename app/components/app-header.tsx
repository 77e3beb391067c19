import { Form, Link, NavLink, useParams } from '@remix-run/react';
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

/** The signed-in person: their account page, and sign-out (a POST form; works without JavaScript). */
function UserMenu({ user }: { user: { email: string; name: string } }) {
  const { t } = useTranslation('auth');
  return (
    <div className="user-menu">
      <Link
        to="/account"
        className="user-menu__account"
        aria-label={t('header.accountOf', { email: user.email })}
        data-testid="header-user"
      >
        {user.name || user.email}
      </Link>
      <Form method="post" action="/logout">
        <button type="submit" className="user-menu__logout">
          {t('header.logout')}
        </button>
      </Form>
    </div>
  );
}

export function AppHeader({
  lang,
  user,
  nav = true,
}: {
  lang: Language;
  user: { email: string; name: string } | null;
  /** The section links (left out on the sign-in, setup and invitation pages). */
  nav?: boolean;
}) {
  const { t } = useTranslation();
  // On a brand's pages the sections are that brand's (the slug of the URL).
  const { slug } = useParams();
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <Link to="/" className="brandmark">
          <Logo />
          <span className="brandmark__text">
            <span className="brandmark__name">{t('app.name')}</span>
            {/* A brand's section links need the room; the tagline greets signed-out pages. */}
            {slug && nav ? null : <span className="brandmark__tagline">{t('app.tagline')}</span>}
          </span>
        </Link>
        {nav ? (
          <nav className="main-nav" aria-label={t('nav.label')}>
            <ul>
              {navItems(slug).map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end}>
                    {t(item.labelKey)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : (
          <span className="main-nav" />
        )}
        <LanguageSwitch current={lang} />
        {user ? <UserMenu user={user} /> : null}
      </div>
    </header>
  );
}
