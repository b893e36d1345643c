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
  const login = useMutation(
    trpc.users.login.mutationOptions({
      meta: { unauthorizedIsExpected: true },
      onSuccess(result) {
        queryClient.setQueryData(trpc.users.me.queryKey(), result.user);
        navigate(safeNext(search.get('next')), { replace: true });
      },
    }),
  );
  return (
    <AuthCard
      title={t('auth.signInTitle')}
      other={{ prompt: t('auth.noAccount'), to: '/register', label: t('auth.register') }}
    >
      {search.get('registered') && <output className="notice success">{t('auth.registered')}</output>}
      {search.get('next') && !search.get('registered') && <p className="muted">{t('auth.sessionEnded')}</p>}
      <CredentialsForm
        mutation={login}
        initialUsername={search.get('username') ?? ''}
        passwordAutoComplete="current-password"
        submitLabel={t('auth.signIn')}
        busyLabel={t('auth.signingIn')}
      />
    </AuthCard>
  );
}

export function RegisterPage() {
  const { t } = useI18n();
  const register = useMutation(
    trpc.users.register.mutationOptions({
      onSuccess(user) {
        navigate(`/sign-in?registered=1&username=${encodeURIComponent(user.username)}`);
      },
    }),
  );
  return (
    <AuthCard
      title={t('auth.registerTitle')}
      other={{ prompt: t('auth.haveAccount'), to: '/sign-in', label: t('auth.signIn') }}
    >
      <CredentialsForm
        mutation={register}
        passwordAutoComplete="new-password"
        hints={{ username: t('auth.usernameHint'), password: t('auth.passwordHint') }}
        confirmPassword
        submitLabel={t('auth.register')}
        busyLabel={t('auth.creating')}
      />
    </AuthCard>
  );
}

type CredentialsProps = {
  mutation: {
    mutate(input: { username: string; password: string }): void;
    error: unknown;
    isPending: boolean;
  };
  initialUsername?: string;
  passwordAutoComplete: 'current-password' | 'new-password';
  hints?: { username: string; password: string };
  /** a second password field that must match the first (registration) */
  confirmPassword?: boolean;
  submitLabel: string;
  busyLabel: string;
};

/** A username and a password, sent by `mutation`, with the server's messages beside the fields. */
function CredentialsForm({
  mutation,
  initialUsername = '',
  passwordAutoComplete,
  hints,
  confirmPassword = false,
  submitLabel,
  busyLabel,
}: CredentialsProps) {
  const { t } = useI18n();
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (confirmPassword && repeated !== password) {
      setMismatch(true);
      return;
    }
    mutation.mutate({ username, password });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Field label={t('auth.username')} name="username" error={mutation.error} hint={hints?.username}>
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
      <Field label={t('auth.password')} name="password" error={mutation.error} hint={hints?.password}>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete={passwordAutoComplete}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        )}
      </Field>
      {confirmPassword && (
        <Field
          label={t('auth.passwordRepeat')}
          name="passwordRepeat"
          problem={mismatch ? t('auth.passwordMismatch') : null}
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              value={repeated}
              onChange={(e) => {
                setRepeated(e.target.value);
                setMismatch(false);
              }}
              required
            />
          )}
        </Field>
      )}
      <FormError error={mutation.error} fields={['username', 'password']} />
      <button type="submit" className="button primary wide" disabled={mutation.isPending}>
        {mutation.isPending ? busyLabel : submitLabel}
      </button>
    </form>
  );
}

/** The signed-out card: brand, title, the form (children) and the link to the other form (`other`). */
function AuthCard({
  title,
  other,
  children,
}: {
  title: string;
  other: { prompt: string; to: string; label: string };
  children: ReactNode;
}) {
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
        <p className="auth-switch">
          {other.prompt} <Link to={other.to}>{other.label}</Link>
        </p>
      </div>
      <LanguageSelect />
    </Main>
  );
}

export function LanguageSelect() {
  const { t } = useI18n();
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: its control is the <select> LocaleSelect draws
    <label className="language-select">
      <span className="visually-hidden">{t('common.language')}</span>
      <LocaleSelect />
    </label>
  );
}

/** The languages to choose from; choosing one switches the dashboard to it. */
export function LocaleSelect({ id }: { id?: string }) {
  const { locale, setLocale } = useI18n();
  return (
    <select id={id} value={locale} onChange={(e) => setLocale(e.target.value === 'pt-BR' ? 'pt-BR' : 'en')}>
      {locales.map((l) => (
        <option key={l.value} value={l.value}>
          {l.label}
        </option>
      ))}
    </select>
  );
}
