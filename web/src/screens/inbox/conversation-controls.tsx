import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { updateConversation } from '../../api/conversations.js';
import type { ConversationChange } from '../../api/conversations.js';
import type { Conversation } from '../../api/types.js';
import { useSession } from '../../session/session-context.js';
import { InlineError } from '../../ui/inline-error.js';
import { useAgents } from './use-agents.js';

interface ConversationControlsProps {
  readonly conversation: Conversation;
  readonly onChange: (conversation: Conversation) => void;
}

/** Assign to an agent, close, reopen. */
export function ConversationControls({ conversation, onChange }: ConversationControlsProps) {
  const { user } = useSession();
  const agents = useAgents();
  const { t } = useTranslation();
  const selectId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const assignee = conversation.assignee_id;
  const options =
    agents.some((agent) => agent.id === assignee) || !assignee
      ? agents
      : [...agents, { id: assignee, name: t('inbox.controls.anotherAgent'), role: 'agent' as const }];

  const change = async (update: ConversationChange) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await updateConversation(conversation.contact.id, update));
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const closed = conversation.status === 'closed';
  return (
    <section className="panel-section" aria-label={t('inbox.controls.label')}>
      <p className="conversation-state">
        {t('inbox.controls.status')} <strong>{closed ? t('inbox.controls.closed') : t('inbox.controls.open')}</strong>
      </p>
      <div className="field">
        <label htmlFor={selectId}>{t('inbox.controls.assignedTo')}</label>
        <select
          id={selectId}
          value={assignee ?? ''}
          disabled={busy}
          onChange={(event) => void change({ assignee_id: event.target.value || null })}
        >
          <option value="">{t('inbox.controls.nobody')}</option>
          {options.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.id === user.id ? t('inbox.controls.me', { name: agent.name }) : agent.name}
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        {assignee !== user.id ? (
          <button type="button" disabled={busy} onClick={() => void change({ assignee_id: user.id })}>
            {t('inbox.controls.assignToMe')}
          </button>
        ) : null}
        <button type="button" disabled={busy} onClick={() => void change({ status: closed ? 'open' : 'closed' })}>
          {closed ? t('inbox.controls.reopen') : t('inbox.controls.close')}
        </button>
      </div>
      <InlineError error={error} />
    </section>
  );
}
