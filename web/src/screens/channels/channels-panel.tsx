import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import { createChannel, deleteChannel, listChannels } from '../../api/channels.js';
import type { ChannelInput } from '../../api/channels.js';
import type { Channel } from '../../api/types.js';
import { formatDateTime } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';

const EMPTY = { name: '', type: 'cloud_api' as ChannelInput['type'], phone_number_id: '', access_token: '', app_secret: '', verify_token: '', business_account_id: '' };

/** The WhatsApp numbers: the environment one (read-only) and those added here, checked with Meta before they are kept. */
export function ChannelsPanel() {
  const { t } = useTranslation();
  const channels = useAsync<readonly Channel[]>((signal) => listChannels(signal), []);
  const [form, setForm] = useState(EMPTY);
  const [checking, setChecking] = useState(false);
  const [added, setAdded] = useState<Channel | null>(null);
  const [error, setError] = useState<unknown>(null);
  const set = (field: keyof typeof EMPTY) => (event: { target: { value: string } }) => setForm((old) => ({ ...old, [field]: event.target.value }));
  const cloud = form.type === 'cloud_api';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    setAdded(null);
    setError(null);
    try {
      const channel = await createChannel({
        name: form.name.trim(),
        type: form.type,
        phone_number_id: form.phone_number_id.trim(),
        ...(cloud ? { access_token: form.access_token.trim(), app_secret: form.app_secret.trim(), verify_token: form.verify_token.trim() } : {}),
        ...(form.business_account_id.trim() ? { business_account_id: form.business_account_id.trim() } : {}),
      });
      setAdded(channel);
      // Reloaded rather than appended: the sandbox leaves the list once a number is added.
      channels.reload();
      setForm(EMPTY);
    } catch (reason) {
      setError(reason);
    } finally {
      setChecking(false);
    }
  };

  const remove = async (channel: Channel) => {
    if (!window.confirm(t('channels.confirmDelete', { name: channel.name }))) return;
    try {
      await deleteChannel(channel.id);
      channels.setData((old) => old?.filter((item) => item.id !== channel.id));
    } catch (reason) {
      setError(reason);
    }
  };

  return (
    <section aria-labelledby="channels-title" className="stack">
      <h2 id="channels-title">{t('channels.title')}</h2>
      <p className="hint">
        <Trans i18nKey="channels.hint" components={{ code: <code /> }} />
      </p>
      <InlineError error={channels.error} />
      {channels.loading && !channels.data ? <Loading /> : null}
      <table className="table">
        <caption className="visually-hidden">{t('channels.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('channels.name')}</th>
            <th scope="col">{t('channels.number')}</th>
            <th scope="col">{t('channels.phoneNumberId')}</th>
            <th scope="col">{t('channels.status')}</th>
            <th scope="col">{t('channels.added')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(channels.data ?? []).map((channel) => (
            <tr key={channel.id}>
              <td>
                {channel.name} {channel.type === 'sandbox' ? <span className="channel-badge">{t('channels.sandbox')}</span> : null}
              </td>
              <td>{channel.display_phone_number ?? '—'}</td>
              <td>
                <code>{channel.phone_number_id}</code>
              </td>
              <td>{t(`channels.statuses.${channel.status}`)}</td>
              <td>{channel.source === 'env' ? t('channels.fromEnvironment') : formatDateTime(channel.created_at)}</td>
              <td>
                {channel.source === 'api' ? (
                  <button type="button" className="danger" aria-label={t('channels.deleteName', { name: channel.name })} onClick={() => void remove(channel)}>
                    {t('channels.delete')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="stack channel-form" onSubmit={submit} aria-labelledby="channel-add-title">
        <h3 id="channel-add-title">{t('channels.addTitle')}</h3>
        <label htmlFor="channel-name">{t('channels.name')}</label>
        <input id="channel-name" required value={form.name} placeholder={t('channels.namePlaceholder')} onChange={set('name')} />
        <label htmlFor="channel-type">{t('channels.kind')}</label>
        <select id="channel-type" value={form.type} onChange={set('type')}>
          <option value="cloud_api">{t('channels.cloudApi')}</option>
          <option value="sandbox">{t('channels.sandboxKind')}</option>
        </select>
        <label htmlFor="channel-number">{t('channels.phoneNumberId')}</label>
        <input id="channel-number" required value={form.phone_number_id} inputMode="numeric" onChange={set('phone_number_id')} />
        {cloud ? (
          <>
            <label htmlFor="channel-token">{t('channels.accessToken')}</label>
            <input id="channel-token" required type="password" autoComplete="off" value={form.access_token} onChange={set('access_token')} />
            <label htmlFor="channel-app-secret">{t('channels.appSecret')}</label>
            <input id="channel-app-secret" required type="password" autoComplete="off" value={form.app_secret} onChange={set('app_secret')} />
            <label htmlFor="channel-verify-token">{t('channels.verifyToken')}</label>
            <input id="channel-verify-token" required type="password" autoComplete="off" value={form.verify_token} onChange={set('verify_token')} />
            <label htmlFor="channel-waba">{t('channels.businessAccount')}</label>
            <input id="channel-waba" value={form.business_account_id} onChange={set('business_account_id')} />
          </>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={checking}>
            {checking ? t('channels.checking') : cloud ? t('channels.checkAndAdd') : t('channels.add')}
          </button>
        </div>
        {added ? (
          <p role="status" className="notice">
            {t('channels.connected', { name: added.name, number: added.display_phone_number ? ` (${added.display_phone_number})` : '' })}
          </p>
        ) : null}
        <InlineError error={error} />
      </form>
    </section>
  );
}
