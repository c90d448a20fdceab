import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../../api/api-error.js';
import { createUser, deleteUser, listUsers, updateUser } from '../../api/admin.js';
import type { Role, User } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';
import { useSession } from '../../session/session-context.js';
import { DataTable } from '../../ui/data-table.js';
import { Field } from '../../ui/field.js';
import { InlineError } from '../../ui/inline-error.js';

function createErrorText(error: unknown): unknown {
  if (error instanceof ApiError && error.status === 409) return 'A user with this email already exists.';
  return error;
}

function RoleSelect({ value, onChange, ...rest }: { readonly value: Role; readonly onChange: (role: Role) => void; readonly id: string; readonly disabled?: boolean }) {
  return (
    <select {...rest} value={value} onChange={(event) => onChange(event.target.value === 'admin' ? 'admin' : 'agent')}>
      <option value="agent">Agent</option>
      <option value="admin">Admin</option>
    </select>
  );
}

/** Agents and admins: list, add, change role, remove. */
export function UsersPanel() {
  const { user: me } = useSession();
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
      setError('The password needs at least 10 characters.');
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
      setError(createErrorText(reason));
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
    if (!window.confirm(`Remove ${user.email}? Their messages stay.`)) return;
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
      <h2 id="users-title">Users</h2>
      <DataTable
        caption="Users"
        rows={users.data}
        rowKey={(user) => user.id}
        request={users}
        columns={[
          { header: 'Name', cell: (user) => user.name },
          { header: 'Email', cell: (user) => user.email },
          {
            header: 'Role',
            cell: (user) => (
              <>
                <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                  Role of {user.email}
                </label>
                <RoleSelect id={`role-${user.id}`} value={user.role} disabled={user.id === me.id} onChange={(next) => void changeRole(user, next)} />
              </>
            ),
          },
          {
            header: 'Actions',
            hiddenHeader: true,
            cell: (user) =>
              user.id === me.id ? (
                <span className="hint">You</span>
              ) : (
                <button type="button" className="danger" aria-label={`Remove ${user.email}`} onClick={() => void remove(user)}>
                  Remove
                </button>
              ),
          },
        ]}
      />
      <InlineError error={rowError} />
      <form className="card form-grid" onSubmit={submit} aria-labelledby="add-user-title">
        <h3 id="add-user-title" className="field-wide">
          Add a user
        </h3>
        <Field id="user-email" label="Email">
          {(control) => <input {...control} type="email" autoComplete="off" required value={email} onChange={(event) => setEmail(event.target.value)} />}
        </Field>
        <Field id="user-name" label="Name">
          {(control) => <input {...control} required value={name} onChange={(event) => setName(event.target.value)} />}
        </Field>
        <Field id="user-role" label="Role">
          {(control) => <RoleSelect {...control} value={role} onChange={setRole} />}
        </Field>
        <Field id="user-password" label="Password">
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
            Add user
          </button>
        </div>
      </form>
    </section>
  );
}
