import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError, errorMessage } from '../../api/api-error.js';
import { login } from '../../api/auth.js';
import type { User } from '../../api/types.js';
import { LanguageSwitcher } from '../../i18n/language-switcher.js';
import { Field } from '../../ui/field.js';

interface SignInScreenProps {
  readonly expired: boolean;
  readonly onSignedIn: (user: User) => void;
}

interface FieldErrors {
  readonly email?: string;
  readonly password?: string;
  readonly form?: string;
}

function messageFor(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return t('signIn.wrongCredentials');
    if (error.status === 429) return t('signIn.tooManyAttempts');
  }
  return errorMessage(error);
}

/** The sign-in form; errors appear inline next to the field or form they concern. */
export function SignInScreen({ expired, onSignedIn }: SignInScreenProps) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing: FieldErrors = {
      email: email.trim() ? undefined : t('signIn.enterEmail'),
      password: password ? undefined : t('signIn.enterPassword'),
    };
    if (missing.email || missing.password) {
      setErrors(missing);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      onSignedIn(await login(email.trim(), password));
    } catch (error) {
      setErrors({ form: messageFor(error, t) });
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          {t('signIn.title')}
        </h1>
        {expired ? <p className="notice">{t('signIn.expired')}</p> : null}
        <Field id="sign-in-email" label={t('signIn.email')} error={errors.email}>
          {(control) => (
            <input {...control} type="email" autoComplete="username" value={email} onChange={(event) => setEmail(event.target.value)} autoFocus />
          )}
        </Field>
        <Field id="sign-in-password" label={t('signIn.password')} error={errors.password}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          )}
        </Field>
        {errors.form ? (
          <p className="inline-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
        <LanguageSwitcher />
      </form>
    </main>
  );
}
