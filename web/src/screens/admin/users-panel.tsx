import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/api-error.js';
import { createUser, deleteUser, listUsers, updateUser } from '../../api/admin.js';
import type { Role, User } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';
import { useRowActions } from '../../lib/use-row-actions.js';
import { useSubmission } from '../../lib/use-submission.js';
import { useSession } from '../../session/session-context.js';
import { DataTable } from '../../ui/data-table.js';
import { FormActions } from '../../ui/form-actions.js';
import { InlineError } from '../../ui/inline-error.js';
import { Panel } from '../../ui/panel.js';
import { Select, SelectField } from '../../ui/select.js';
import type { Option } from '../../ui/select.js';
import { TextField } from '../../ui/text-field.js';

function createErrorText(error: unknown, t: TFunction): unknown {
  if (error instanceof ApiError && error.status === 409) return t('admin.users.duplicateEmail');
  return error;
}

function roleOptions(t: TFunction): readonly Option<Role>[] {
  return [
    { value: 'agent', label: t('admin.users.roles.agent') },
    { value: 'admin', label: t('admin.users.roles.admin') },
  ];
}

/** Agents and admins: list, add, change role, remove. */
export function UsersPanel() {
  const { user: me } = useSession();
  const { t } = useTranslation();
  const users = useAsync<readonly User[]>(() => listUsers(), []);
  const rows = useRowActions(users);
  const adding = useSubmission();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [password, setPassword] = useState('');
  const roles = roleOptions(t);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password.length < 10) return adding.setError(t('admin.users.passwordTooShort'));
    void adding.run(async () => {
      try {
        rows.append(await createUser({ email: email.trim(), name: name.trim(), role, password }));
      } catch (reason) {
        throw createErrorText(reason, t);
      }
      setEmail('');
      setName('');
      setPassword('');
    });
  };

  const changeRole = (user: User, next: Role) => void rows.run(async () => rows.replace(await updateUser(user.id, { role: next })));

  return (
    <Panel titleId="users-title" title={t('admin.users.title')}>
      <DataTable
        caption={t('admin.users.title')}
        list={users}
        rowKey={(user) => user.id}
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
                <Select id={`role-${user.id}`} options={roles} value={user.role} disabled={user.id === me.id} onChange={(next) => changeRole(user, next)} />
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
                <button
                  type="button"
                  className="danger"
                  aria-label={t('admin.users.removeUser', { email: user.email })}
                  onClick={() => void rows.remove(user, t('admin.users.confirmRemove', { email: user.email }), deleteUser)}
                >
                  {t('admin.users.remove')}
                </button>
              ),
          },
        ]}
      />
      <InlineError error={rows.error} />
      <form className="card form-grid" onSubmit={submit} aria-labelledby="add-user-title">
        <h3 id="add-user-title" className="field-wide">
          {t('admin.users.add')}
        </h3>
        <TextField id="user-email" label={t('admin.users.email')} type="email" autoComplete="off" required value={email} onChange={setEmail} />
        <TextField id="user-name" label={t('admin.users.name')} required value={name} onChange={setName} />
        <SelectField id="user-role" label={t('admin.users.role')} options={roles} value={role} onChange={setRole} />
        <TextField
          id="user-password"
          label={t('admin.users.password')}
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          value={password}
          onChange={setPassword}
        />
        <InlineError error={adding.error} />
        <FormActions wide submit={t('admin.users.submit')} />
      </form>
    </Panel>
  );
}
