import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/api-error.js';
import { createUser, deleteUser, listUsers, updateUser } from '../../api/admin.js';
import type { Role, User } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';
import { useSession } from '../../session/session-context.js';
import { DataTable } from '../../ui/data-table.js';
import { Field } from '../../ui/field.js';
import { InlineError } from '../../ui/inline-error.js';

function createErrorText(error: unknown, t: TFunction): unknown {
  if (error instanceof ApiError && error.status === 409) return t('admin.users.duplicateEmail');
  return error;
}

function RoleSelect({ value, onChange, ...rest }: { readonly value: Role; readonly onChange: (role: Role) => void; readonly id: string; readonly disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <select {...rest} value={value} onChange={(event) => onChange(event.target.value === 'admin' ? 'admin' : 'agent')}>
      <option value="agent">{t('admin.users.roles.agent')}</option>
      <option value="admin">{t('admin.users.roles.admin')}</option>
    </select>
  );
}

/** Agents and admins: list, add, change role, remove. */
export function UsersPanel() {
  const { user: me } = useSession();
  const { t } = useTranslation();
  const users = useAsync<readonly User[]>(() => listUsers(), []);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [rowError, setRowError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password.length < 10) {
      setError(t('admin.users.passwordTooShort'));
      return;
    }
    try {
      const created = await createUser({ email: email.trim(), name: name.trim(), role, password });
      users.setData((old) => [...(old ?? []), created]);
      setEmail('');
      setName('');
      setPassword('');
      setError(null);
    } catch (reason) {
      setError(createErrorText(reason, t));
    }
  };

  const changeRole = async (user: User, next: Role) => {
    try {
      const updated = await updateUser(user.id, { role: next });
      users.setData((old) => old?.map((item) => (item.id === updated.id ? updated : item)));
      setRowError(null);
    } catch (reason) {
      setRowError(reason);
    }
  };

  const remove = async (user: User) => {
    if (!window.confirm(t('admin.users.confirmRemove', { email: user.email }))) return;
    try {
      await deleteUser(user.id);
      users.setData((old) => old?.filter((item) => item.id !== user.id));
      setRowError(null);
    } catch (reason) {
      setRowError(reason);
    }
  };

  return (
    <section aria-labelledby="users-title" className="stack">
      <h2 id="users-title">{t('admin.users.title')}</h2>
      <DataTable
        caption={t('admin.users.title')}
        rows={users.data}
        rowKey={(user) => user.id}
        request={users}
        columns={[
          { header: t('admin.users.name'), cell: (user) => user.name },
          { header: t('admin.users.email'), cell: (user) => user.email },
          {
            header: t('admin.users.role'),
            cell: (user) => (
              <>
                <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                  {t('admin.users.roleOf', { email: user.email })}
                </label>
                <RoleSelect id={`role-${user.id}`} value={user.role} disabled={user.id === me.id} onChange={(next) => void changeRole(user, next)} />
              </>
            ),
          },
          {
            header: t('common.actions'),
            hiddenHeader: true,
            cell: (user) =>
              user.id === me.id ? (
                <span className="hint">{t('admin.users.you')}</span>
              ) : (
                <button type="button" className="danger" aria-label={t('admin.users.removeUser', { email: user.email })} onClick={() => void remove(user)}>
                  {t('admin.users.remove')}
                </button>
              ),
          },
        ]}
      />
      <InlineError error={rowError} />
      <form className="card form-grid" onSubmit={submit} aria-labelledby="add-user-title">
        <h3 id="add-user-title" className="field-wide">
          {t('admin.users.add')}
        </h3>
        <Field id="user-email" label={t('admin.users.email')}>
          {(control) => <input {...control} type="email" autoComplete="off" required value={email} onChange={(event) => setEmail(event.target.value)} />}
        </Field>
        <Field id="user-name" label={t('admin.users.name')}>
          {(control) => <input {...control} required value={name} onChange={(event) => setName(event.target.value)} />}
        </Field>
        <Field id="user-role" label={t('admin.users.role')}>
          {(control) => <RoleSelect {...control} value={role} onChange={setRole} />}
        </Field>
        <Field id="user-password" label={t('admin.users.password')}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          )}
        </Field>
        <InlineError error={error} />
        <div className="actions field-wide">
          <button type="submit" className="primary">
            {t('admin.users.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
