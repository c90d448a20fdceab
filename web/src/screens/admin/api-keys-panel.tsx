import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { Trans, useTranslation } from 'react-i18next';
import { createApiKey, listApiKeys, revokeApiKey } from '../../api/admin.js';
import type { ApiKey } from '../../api/types.js';
import { formatDateTime } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { useRowActions } from '../../lib/use-row-actions.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';
import { InlineError } from '../../ui/inline-error.js';
import { Panel } from '../../ui/panel.js';

function columns(t: TFunction, revoke: (key: ApiKey) => void): readonly Column<ApiKey>[] {
  return [
    { header: t('admin.apiKeys.name'), cell: (key) => key.name },
    { header: t('admin.apiKeys.prefix'), cell: (key) => <code>{key.prefix}…</code> },
    { header: t('admin.apiKeys.created'), cell: (key) => formatDateTime(key.created_at) },
    { header: t('admin.apiKeys.lastUsed'), cell: (key) => (key.last_used_at ? formatDateTime(key.last_used_at) : t('admin.apiKeys.never')) },
    {
      header: t('common.actions'),
      hiddenHeader: true,
      cell: (key) => (
        <button type="button" className="danger" aria-label={t('admin.apiKeys.revokeKey', { name: key.name })} onClick={() => revoke(key)}>
          {t('admin.apiKeys.revoke')}
        </button>
      ),
    },
  ];
}

/** API keys for integrators; a new key is shown once, right after it is made. */
export function ApiKeysPanel() {
  const { t } = useTranslation();
  const keys = useAsync<readonly ApiKey[]>(() => listApiKeys(), []);
  const rows = useRowActions(keys);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiKey | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return rows.setError(t('admin.apiKeys.nameTheKey'));
    void rows.run(async () => {
      const key = await createApiKey(name.trim());
      setCreated(key);
      rows.append({ ...key, key: undefined });
      setName('');
    });
  };

  const revoke = (key: ApiKey) => void rows.remove(key, t('admin.apiKeys.confirmRevoke', { name: key.name }), revokeApiKey);

  return (
    <Panel titleId="keys-title" title={t('admin.apiKeys.title')} hint={<Trans i18nKey="admin.apiKeys.help" components={{ code: <code />, docs: <a href="/api/docs" /> }} />}>
      {created?.key ? (
        <div className="card key-reveal" role="status">
          <p>{t('admin.apiKeys.copyNow', { name: created.name })}</p>
          <code className="secret" tabIndex={0}>
            {created.key}
          </code>
          <div className="actions">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(created.key ?? '')}>
              {t('admin.apiKeys.copy')}
            </button>
            <button type="button" onClick={() => setCreated(null)}>
              {t('admin.apiKeys.done')}
            </button>
          </div>
        </div>
      ) : null}
      <DataTable caption={t('admin.apiKeys.title')} columns={columns(t, revoke)} list={keys} rowKey={(key) => key.id} />
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor="key-name">{t('admin.apiKeys.keyName')}</label>
        <input id="key-name" value={name} placeholder={t('admin.apiKeys.keyNamePlaceholder')} onChange={(event) => setName(event.target.value)} />
        <button type="submit" className="primary">
          {t('admin.apiKeys.create')}
        </button>
      </form>
      <InlineError error={rows.error} />
    </Panel>
  );
}
