import { useState } from 'react';
import type { TFunction } from 'i18next';
import { Trans, useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import { createChannel, deleteChannel, listChannels } from '../../api/channels.js';
import type { ChannelInput } from '../../api/channels.js';
import type { Channel } from '../../api/types.js';
import { formatDateTime } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { useRowActions } from '../../lib/use-row-actions.js';
import { useSubmission } from '../../lib/use-submission.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';
import { FormActions } from '../../ui/form-actions.js';
import { InlineError } from '../../ui/inline-error.js';
import { Panel } from '../../ui/panel.js';

const EMPTY = { name: '', type: 'cloud_api' as ChannelInput['type'], phone_number_id: '', access_token: '', app_secret: '', verify_token: '', business_account_id: '' };

function columns(t: TFunction, remove: (channel: Channel) => void): readonly Column<Channel>[] {
  return [
    {
      header: t('channels.name'),
      cell: (channel) => (
        <>
          {channel.name} {channel.type === 'sandbox' ? <span className="channel-badge">{t('channels.sandbox')}</span> : null}
        </>
      ),
    },
    { header: t('channels.number'), cell: (channel) => channel.display_phone_number ?? '—' },
    { header: t('channels.phoneNumberId'), cell: (channel) => <code>{channel.phone_number_id}</code> },
    { header: t('channels.status'), cell: (channel) => t(`channels.statuses.${channel.status}`) },
    { header: t('channels.added'), cell: (channel) => (channel.source === 'env' ? t('channels.fromEnvironment') : formatDateTime(channel.created_at)) },
    {
      header: t('common.actions'),
      hiddenHeader: true,
      cell: (channel) =>
        channel.source === 'api' ? (
          <button type="button" className="danger" aria-label={t('channels.deleteName', { name: channel.name })} onClick={() => remove(channel)}>
            {t('channels.delete')}
          </button>
        ) : null,
    },
  ];
}

/** The WhatsApp numbers: the environment one (read-only) and those added here, checked with Meta before they are kept. */
export function ChannelsPanel() {
  const { t } = useTranslation();
  const channels = useAsync<readonly Channel[]>((signal) => listChannels(signal), []);
  const rows = useRowActions(channels);
  const adding = useSubmission();
  const [form, setForm] = useState(EMPTY);
  const [added, setAdded] = useState<Channel | null>(null);
  const set = (field: keyof typeof EMPTY) => (event: { target: { value: string } }) => setForm((old) => ({ ...old, [field]: event.target.value }));
  const cloud = form.type === 'cloud_api';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAdded(null);
    void adding.run(async () => {
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
    });
  };

  const remove = (channel: Channel) => void rows.remove(channel, t('channels.confirmDelete', { name: channel.name }), deleteChannel);

  return (
    <Panel titleId="channels-title" title={t('channels.title')} hint={<Trans i18nKey="channels.hint" components={{ code: <code /> }} />}>
      <DataTable caption={t('channels.title')} columns={columns(t, remove)} list={channels} rowKey={(channel) => channel.id} />
      <InlineError error={rows.error} />
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
        <FormActions disabled={adding.busy} submit={adding.busy ? t('channels.checking') : cloud ? t('channels.checkAndAdd') : t('channels.add')} />
        {added ? (
          <p role="status" className="notice">
            {t('channels.connected', { name: added.name, number: added.display_phone_number ? ` (${added.display_phone_number})` : '' })}
          </p>
        ) : null}
        <InlineError error={adding.error} />
      </form>
    </Panel>
  );
}
