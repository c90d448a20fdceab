import { useState } from 'react';
import type { FormEvent } from 'react';
import { createApiKey, listApiKeys, revokeApiKey } from '../../api/admin.js';
import type { ApiKey } from '../../api/types.js';
import { formatDateTime } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';

/** API keys for integrators; a new key is shown once, right after it is made. */
export function ApiKeysPanel() {
  const keys = useAsync<readonly ApiKey[]>(() => listApiKeys(), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Name the key after what will use it.');
      return;
    }
    try {
      const key = await createApiKey(name.trim());
      setCreated(key);
      keys.setData((old) => [...(old ?? []), { ...key, key: undefined }]);
      setName('');
      setError(null);
    } catch (reason) {
      setError(reason);
    }
  };

  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke “${key.name}”? Anything using it stops working at once.`)) return;
    try {
      await revokeApiKey(key.id);
      keys.setData((old) => old?.filter((item) => item.id !== key.id));
    } catch (reason) {
      setError(reason);
    }
  };

  return (
    <section aria-labelledby="keys-title" className="stack">
      <h2 id="keys-title">API keys</h2>
      <p className="hint">
        A key works as <code>Authorization: Bearer …</code> on every API route. See the <a href="/api/docs">API documentation</a>.
      </p>
      {created?.key ? (
        <div className="card key-reveal" role="status">
          <p>Copy the key for “{created.name}” now; it will not be shown again:</p>
          <code className="secret" tabIndex={0}>
            {created.key}
          </code>
          <div className="actions">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(created.key ?? '')}>
              Copy key
            </button>
            <button type="button" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      <InlineError error={keys.error} />
      {keys.loading && !keys.data ? <Loading /> : null}
      <table className="table">
        <caption className="visually-hidden">API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(keys.data ?? []).map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td>
                <code>{key.prefix}…</code>
              </td>
              <td>{formatDateTime(key.created_at)}</td>
              <td>{key.last_used_at ? formatDateTime(key.last_used_at) : 'Never'}</td>
              <td>
                <button type="button" className="danger" aria-label={`Revoke ${key.name}`} onClick={() => void revoke(key)}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor="key-name">Key name</label>
        <input id="key-name" value={name} placeholder="e.g. Shop integration" onChange={(event) => setName(event.target.value)} />
        <button type="submit" className="primary">
          Create key
        </button>
      </form>
      <InlineError error={error} />
    </section>
  );
}
