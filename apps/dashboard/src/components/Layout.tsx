import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { queryClient, trpc } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import { LanguageSelect } from '../pages/SignIn.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import type { Me } from '../session.ts';
import { Main } from './ui.tsx';

const links: { to: string; key: MessageKey; admin?: boolean }[] = [
  { to: '/', key: 'nav.forecast' },
  { to: '/forecasts', key: 'nav.history' },
  { to: '/models', key: 'nav.models' },
  { to: '/admin/users', key: 'nav.adminUsers', admin: true },
  { to: '/admin/logs', key: 'nav.adminLogs', admin: true },
  { to: '/settings', key: 'nav.settings' },
];

function isCurrent(to: string, pathname: string) {
  return to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
}

export function Layout({ me, children }: { me: Me; children: ReactNode }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After client-side navigation move focus to the new page's heading, as a full page load would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on path changes only
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    heading?.focus();
  }, [pathname]);

  const logout = useMutation(
    trpc.users.logout.mutationOptions({
      onSettled() {
        queryClient.clear();
        navigate('/sign-in', { replace: true });
      },
    }),
  );

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              ◆
            </span>{' '}
            {t('app.name')}
          </Link>
          <nav aria-label={t('nav.main')} className="nav">
            <ul>
              {links
                .filter((l) => !l.admin || me.role === 'admin')
                .map((l) => (
                  <li key={l.to}>
                    <Link to={l.to} aria-current={isCurrent(l.to, pathname) ? 'page' : undefined}>
                      {t(l.key)}
                    </Link>
                  </li>
                ))}
            </ul>
          </nav>
          <div className="account">
            <LanguageSelect />
            <span className="who" title={t('nav.signedInAs', { name: me.username })}>
              <span className="visually-hidden">{t('nav.signedInAs', { name: '' })}</span>
              {me.username}
            </span>
            <button
              type="button"
              className="button secondary small"
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
            >
              {t('nav.signOut')}
            </button>
          </div>
        </div>
      </header>
      <Main mainRef={mainRef} className="content">
        {children}
      </Main>
    </>
  );
}
