import { useState } from 'react';
import type { FormEvent } from 'react';
import { createApiKey, listApiKeys, revokeApiKey } from '../../api/admin.js';
import type { ApiKey } from '../../api/types.js';
import { formatDateTime } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';
import { InlineError } from '../../ui/inline-error.js';

function columns(revoke: (key: ApiKey) => Promise<void>): readonly Column<ApiKey>[] {
  return [
    { header: 'Name', cell: (key) => key.name },
    { header: 'Prefix', cell: (key) => <code>{key.prefix}…</code> },
    { header: 'Created', cell: (key) => formatDateTime(key.created_at) },
    { header: 'Last used', cell: (key) => (key.last_used_at ? formatDateTime(key.last_used_at) : 'Never') },
    {
      header: 'Actions',
      hiddenHeader: true,
      cell: (key) => (
        <button type="button" className="danger" aria-label={`Revoke ${key.name}`} onClick={() => void revoke(key)}>
          Revoke
        </button>
      ),
    },
  ];
}

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
      <DataTable caption="API keys" columns={columns(revoke)} rows={keys.data} rowKey={(key) => key.id} request={keys} />
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
