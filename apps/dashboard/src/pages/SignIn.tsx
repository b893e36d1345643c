import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { queryClient, trpc } from '../api.ts';
import { Field, FormError, Main } from '../components/ui.tsx';
import { locales, useI18n } from '../i18n.tsx';
import { Link, navigate, useLocation } from '../router.tsx';

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const [username, setUsername] = useState(search.get('username') ?? '');
  const [password, setPassword] = useState('');
  const login = useMutation(
    trpc.users.login.mutationOptions({
      meta: { unauthorizedIsExpected: true },
      onSuccess(result) {
        queryClient.setQueryData(trpc.users.me.queryKey(), result.user);
        navigate(safeNext(search.get('next')), { replace: true });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ username, password });
  };
  return (
    <AuthCard title={t('auth.signInTitle')}>
      {search.get('registered') && <output className="notice success">{t('auth.registered')}</output>}
      {search.get('next') && !search.get('registered') && <p className="muted">{t('auth.sessionEnded')}</p>}
      <form onSubmit={submit} noValidate>
        <Field label={t('auth.username')} name="username" error={login.error}>
          {(props) => (
            <input
              {...props}
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
            />
          )}
        </Field>
        <Field label={t('auth.password')} name="password" error={login.error}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <FormError error={login.error} fields={['username', 'password']} />
        <button type="submit" className="button primary wide" disabled={login.isPending}>
          {login.isPending ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth.noAccount')} <Link to="/register">{t('auth.register')}</Link>
      </p>
    </AuthCard>
  );
}

export function RegisterPage() {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const register = useMutation(
    trpc.users.register.mutationOptions({
      onSuccess(user) {
        navigate(`/sign-in?registered=1&username=${encodeURIComponent(user.username)}`);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate({ username, password });
  };
  return (
    <AuthCard title={t('auth.registerTitle')}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('auth.username')}
          name="username"
          error={register.error}
          hint={t('auth.usernameHint')}
        >
          {(props) => (
            <input
              {...props}
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
            />
          )}
        </Field>
        <Field
          label={t('auth.password')}
          name="password"
          error={register.error}
          hint={t('auth.passwordHint')}
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <FormError error={register.error} fields={['username', 'password']} />
        <button type="submit" className="button primary wide" disabled={register.isPending}>
          {register.isPending ? t('auth.creating') : t('auth.register')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth.haveAccount')} <Link to="/sign-in">{t('auth.signIn')}</Link>
      </p>
    </AuthCard>
  );
}

function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useI18n();
  // Signed out (or about to sign in as someone else): forget everything cached for the old session.
  useEffect(() => {
    queryClient.removeQueries();
  }, []);
  return (
    <Main className="auth-page">
      <div className="auth-card">
        <p className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">◆</span> {t('app.name')}
        </p>
        <h1>{title}</h1>
        <p className="muted">{t('app.tagline')}</p>
        {children}
      </div>
      <LanguageSelect />
    </Main>
  );
}

export function LanguageSelect() {
  const { t, locale, setLocale } = useI18n();
  return (
    <label className="language-select">
      <span className="visually-hidden">{t('common.language')}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value === 'pt-BR' ? 'pt-BR' : 'en')}>
        {locales.map((l) => (
          <option key={l.value} value={l.value}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
