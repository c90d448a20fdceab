import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../../api/api-error.js';
import { createUser, deleteUser, listUsers, updateUser } from '../../api/admin.js';
import type { Role, User } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';
import { useSession } from '../../session/session-context.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';

function createErrorText(error: unknown): unknown {
  if (error instanceof ApiError && error.status === 409) return 'A user with this email already exists.';
  return error;
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
      <InlineError error={users.error} />
      {users.loading && !users.data ? <Loading /> : null}
      <table className="table">
        <caption className="visually-hidden">Users</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((user) => (
            <tr key={user.id}>
              <td>{user.name}</td>
              <td>{user.email}</td>
              <td>
                <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                  Role of {user.email}
                </label>
                <select
                  id={`role-${user.id}`}
                  value={user.role}
                  disabled={user.id === me.id}
                  onChange={(event) => void changeRole(user, event.target.value === 'admin' ? 'admin' : 'agent')}
                >
                  <option value="agent">Agent</option>
                  <option value="admin">Admin</option>
                </select>
              </td>
              <td>
                {user.id === me.id ? (
                  <span className="hint">You</span>
                ) : (
                  <button type="button" className="danger" aria-label={`Remove ${user.email}`} onClick={() => void remove(user)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <InlineError error={rowError} />
      <form className="card form-grid" onSubmit={submit} aria-labelledby="add-user-title">
        <h3 id="add-user-title" className="field-wide">
          Add a user
        </h3>
        <div className="field">
          <label htmlFor="user-email">Email</label>
          <input
            id="user-email"
            type="email"
            autoComplete="off"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="user-name">Name</label>
          <input id="user-name" required value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="user-role">Role</label>
          <select id="user-role" value={role} onChange={(event) => setRole(event.target.value === 'admin' ? 'admin' : 'agent')}>
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-password">Password</label>
          <input
            id="user-password"
            type="password"
            autoComplete="new-password"
            minLength={10}
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
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
