import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.js';
import { useRowActions } from '../../lib/use-row-actions.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import { Panel } from '../../ui/panel.js';
import { Screen } from '../../ui/screen.js';
import { useAgents } from '../inbox/use-agents.js';
import { createAutomation, deleteAutomation, listAutomations, updateAutomation, type Automation } from './api.js';
import { AutomationForm } from './automation-form.js';
import { BusinessHoursForm } from './business-hours-form.js';

function summary(automation: Automation, t: TFunction): string {
  const parts = automation.actions.map((action) => {
    if (action.type === 'reply') return t('automations.summary.reply', { text: action.message.content.slice(0, 40) });
    if (action.type === 'assign')
      return 'user_id' in action ? t('automations.summary.assignAgent') : t('automations.summary.assignStrategy', { strategy: t(`automations.summary.${action.strategy}`) });
    if (action.type === 'add_tags') return t('automations.summary.tag', { tags: action.tags.join(', ') });
    return t('automations.summary.close');
  });
  return parts.join(' · ');
}

/** Admins' automations: the rules in the order they run, each with an on/off switch, and the business hours. */
export function AutomationsScreen() {
  const automations = useAsync<readonly Automation[]>(async () => (await listAutomations()).items, []);
  const rows = useRowActions(automations);
  const agents = useAgents();
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);

  const toggle = (automation: Automation) => void rows.run(async () => rows.replace(await updateAutomation(automation.id, { enabled: !automation.enabled })));
  const remove = (automation: Automation) => void rows.remove(automation, t('automations.confirmDelete', { name: automation.name }), deleteAutomation);

  return (
    <Screen stack title={t('automations.title')}>
      <p className="hint">{t('automations.hint')}</p>
      <InlineError error={automations.error} />
      {automations.loading && !automations.data ? <Loading /> : null}
      {automations.data && automations.data.length === 0 ? <p className="empty">{t('automations.empty')}</p> : null}
      <ol className="automation-list" aria-label={t('automations.list')}>
        {(automations.data ?? []).map((automation) => (
          <li key={automation.id} className="card automation-item">
            {editing === automation.id ? (
              <AutomationForm
                initial={automation}
                agents={agents}
                onCancel={() => setEditing(null)}
                onSave={async (input) => {
                  rows.replace(await updateAutomation(automation.id, input));
                  setEditing(null);
                }}
              />
            ) : (
              <div className="automation-row">
                <label className="checkbox">
                  <input type="checkbox" checked={automation.enabled} onChange={() => toggle(automation)} />
                  <span className="visually-hidden">{t('automations.enabled')}</span>
                  <strong>{automation.name}</strong>
                </label>
                <span className="hint">
                  {t(`automations.triggers.${automation.trigger}`)} → {summary(automation, t)}
                </span>
                <span className="actions">
                  <button type="button" onClick={() => setEditing(automation.id)} aria-label={t('automations.editName', { name: automation.name })}>
                    {t('automations.edit')}
                  </button>
                  <button type="button" className="danger" onClick={() => remove(automation)} aria-label={t('automations.deleteName', { name: automation.name })}>
                    {t('automations.delete')}
                  </button>
                </span>
              </div>
            )}
          </li>
        ))}
      </ol>
      <InlineError error={rows.error} />
      <Panel titleId="new-automation-title" title={t('automations.newAutomation')}>
        <AutomationForm agents={agents} onSave={async (input) => rows.append(await createAutomation(input))} />
      </Panel>
      <BusinessHoursForm />
    </Screen>
  );
}
