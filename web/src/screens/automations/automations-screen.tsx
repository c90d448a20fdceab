import { useState } from 'react';
import { useAsync } from '../../lib/use-async.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import { useAgents } from '../inbox/use-agents.js';
import { createAutomation, deleteAutomation, listAutomations, updateAutomation, type Automation } from './api.js';
import { AutomationForm } from './automation-form.js';
import { BusinessHoursForm } from './business-hours-form.js';

const triggerLabels: Record<Automation['trigger'], string> = {
  'message.received': 'A message arrives',
  'conversation.opened': 'A conversation opens',
  'button.clicked': 'A button is tapped',
};

function summary(automation: Automation): string {
  const parts = automation.actions.map((action) => {
    if (action.type === 'reply') return `reply “${action.message.content.slice(0, 40)}”`;
    if (action.type === 'assign') return 'user_id' in action ? 'assign to an agent' : `assign (${action.strategy.replace('_', ' ')})`;
    if (action.type === 'add_tags') return `tag ${action.tags.join(', ')}`;
    return 'close';
  });
  return parts.join(' · ');
}

/** Admins' automations: the rules in the order they run, each with an on/off switch, and the business hours. */
export function AutomationsScreen() {
  const automations = useAsync(async () => (await listAutomations()).items, []);
  const agents = useAgents();
  const [editing, setEditing] = useState<string | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);

  const replace = (updated: Automation) => automations.setData((old) => old?.map((item) => (item.id === updated.id ? updated : item)));

  const toggle = async (automation: Automation) => {
    try {
      replace(await updateAutomation(automation.id, { enabled: !automation.enabled }));
      setRowError(null);
    } catch (reason) {
      setRowError(reason);
    }
  };

  const remove = async (automation: Automation) => {
    if (!window.confirm(`Delete the automation “${automation.name}”?`)) return;
    try {
      await deleteAutomation(automation.id);
      automations.setData((old) => old?.filter((item) => item.id !== automation.id));
      setRowError(null);
    } catch (reason) {
      setRowError(reason);
    }
  };

  return (
    <div className="screen stack">
      <header className="screen-header">
        <h1>Automations</h1>
      </header>
      <p className="hint">
        Rules run on every inbound message, in this order. Only the first matching reply goes out; tags, assignment and closing run for
        every rule that matches.
      </p>
      <InlineError error={automations.error} />
      {automations.loading && !automations.data ? <Loading /> : null}
      {automations.data && automations.data.length === 0 ? <p className="empty">No automations yet.</p> : null}
      <ol className="automation-list" aria-label="Automations">
        {(automations.data ?? []).map((automation) => (
          <li key={automation.id} className="card automation-item">
            {editing === automation.id ? (
              <AutomationForm
                initial={automation}
                agents={agents}
                onCancel={() => setEditing(null)}
                onSave={async (input) => {
                  replace(await updateAutomation(automation.id, input));
                  setEditing(null);
                }}
              />
            ) : (
              <div className="automation-row">
                <label className="checkbox">
                  <input type="checkbox" checked={automation.enabled} onChange={() => void toggle(automation)} />
                  <span className="visually-hidden">Enabled: </span>
                  <strong>{automation.name}</strong>
                </label>
                <span className="hint">
                  {triggerLabels[automation.trigger]} → {summary(automation)}
                </span>
                <span className="actions">
                  <button type="button" onClick={() => setEditing(automation.id)} aria-label={`Edit ${automation.name}`}>
                    Edit
                  </button>
                  <button type="button" className="danger" onClick={() => void remove(automation)} aria-label={`Delete ${automation.name}`}>
                    Delete
                  </button>
                </span>
              </div>
            )}
          </li>
        ))}
      </ol>
      <InlineError error={rowError} />
      <section aria-labelledby="new-automation-title" className="stack">
        <h2 id="new-automation-title">New automation</h2>
        <AutomationForm
          agents={agents}
          onSave={async (input) => {
            const created = await createAutomation(input);
            automations.setData((old) => [...(old ?? []), created]);
          }}
        />
      </section>
      <BusinessHoursForm />
    </div>
  );
}
