import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { queryClient, trpc } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import { LanguageSelect } from '../pages/SignIn.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import type { Me } from '../session.ts';
import { Main } from './ui.tsx';
import { useHeaderLayout } from './use-header-layout.ts';

const links: { to: string; key: MessageKey; admin?: boolean }[] = [
  { to: '/', key: 'nav.forecast' },
  { to: '/forecasts', key: 'nav.history' },
  { to: '/models', key: 'nav.models' },
  { to: '/track-record', key: 'nav.trackRecord' },
  { to: '/admin/users', key: 'nav.adminUsers', admin: true },
  { to: '/admin/logs', key: 'nav.adminLogs', admin: true },
  { to: '/admin/jobs', key: 'nav.adminJobs', admin: true },
  { to: '/settings', key: 'nav.settings' },
];

function isCurrent(to: string, pathname: string) {
  return to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
}

export function Layout({ me, children }: { me: Me; children: ReactNode }) {
  const { t, locale } = useI18n();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const rowRef = useRef<HTMLDivElement>(null);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const headerRef = useRef<HTMLElement>(null);
  const panelId = useId();
  const first = useRef(true);
  const [menuOpen, setMenuOpen] = useState(false);

  const shown = links.filter((l) => !l.admin || me.role === 'admin');
  // Anything that changes the row's width: the labels (so the language), the links, the name shown.
  const { layout, measuring } = useHeaderLayout(
    rowRef,
    [locale, me.username, ...shown.map((l) => l.key)].join('|'),
  );
  // While measuring, the first row holds every part; a menu stays mounted meanwhile, so a language
  // picked inside it keeps its focus.
  const shownIn = measuring ? 'row' : layout;

  // After client-side navigation move focus to the new page's heading, as a full page load would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on path changes only
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    heading?.focus();
  }, [pathname]);

  // An open menu closes with Escape (focus back on its button) or a tap outside the header.
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuOpen(false);
      menuButtonRef.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!headerRef.current?.contains(event.target as Node)) setMenuOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [menuOpen]);

  const logout = useMutation(
    trpc.users.logout.mutationOptions({
      onSettled() {
        queryClient.clear();
        navigate('/sign-in', { replace: true });
      },
    }),
  );

  const nav = (
    <nav aria-label={t('nav.main')} className="nav" data-part="nav">
      <ul>
        {shown.map((l) => (
          <li key={l.to}>
            <Link to={l.to} aria-current={isCurrent(l.to, pathname) ? 'page' : undefined}>
              {t(l.key)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
  const account = (
    <div className="account" data-part="account">
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
  );

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className={`topbar topbar-${shownIn}`} ref={headerRef}>
        <div ref={rowRef} className={`topbar-inner${measuring ? ' measuring' : ''}`}>
          <Link to="/" className="brand" data-part="brand">
            <span className="brand-mark" aria-hidden="true">
              ◆
            </span>{' '}
            {t('app.name')}
          </Link>
          {shownIn === 'row' && nav}
          {shownIn !== 'menu' && account}
          {shownIn === 'menu' && (
            <button
              ref={menuButtonRef}
              type="button"
              className="button secondary menu-button"
              aria-expanded={menuOpen}
              aria-controls={panelId}
              onClick={() => setMenuOpen((open) => !open)}
            >
              <span className="menu-icon" aria-hidden="true" />
              {t('nav.menu')}
            </button>
          )}
        </div>
        {shownIn === 'two-rows' && <div className="topbar-inner topbar-links">{nav}</div>}
        {layout === 'menu' && (
          <div id={panelId} className="menu-panel" hidden={!menuOpen}>
            {nav}
            {account}
          </div>
        )}
      </header>
      <Main mainRef={mainRef} className="content">
        {children}
      </Main>
    </>
  );
}
