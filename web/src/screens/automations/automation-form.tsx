import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import type { TeamMember } from '../../api/types.js';
import { InlineError } from '../../ui/inline-error.js';
import type { Automation, AutomationAction, AutomationConditions, AutomationInput, Trigger } from './api.js';

type AssignChoice = 'none' | 'round_robin' | 'least_busy' | `user:${string}`;
type HoursChoice = 'any' | 'outside' | 'inside';

const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

function assignChoiceOf(actions: readonly AutomationAction[]): AssignChoice {
  const assign = actions.find((action) => action.type === 'assign');
  if (!assign || assign.type !== 'assign') return 'none';
  return 'user_id' in assign ? `user:${assign.user_id}` : assign.strategy;
}

interface AutomationFormProps {
  readonly initial?: Automation;
  readonly agents: readonly TeamMember[];
  readonly onSave: (input: AutomationInput) => Promise<void>;
  readonly onCancel?: () => void;
}

/** A rule's trigger, conditions and actions as a form; comma-separated lists for words, tags and ids. */
export function AutomationForm({ initial, agents, onSave, onCancel }: AutomationFormProps) {
  const { t } = useTranslation();
  const conditions = initial?.conditions ?? {};
  const actions = initial?.actions ?? [];
  const reply = actions.find((action) => action.type === 'reply');
  const tagsAction = actions.find((action) => action.type === 'add_tags');
  const [name, setName] = useState(initial?.name ?? '');
  const [trigger, setTrigger] = useState<Trigger>(initial?.trigger ?? 'message.received');
  const [keywords, setKeywords] = useState((Array.isArray(conditions.keywords) ? conditions.keywords : []).join(', '));
  const [match, setMatch] = useState<'exact' | 'contains'>(conditions.match ?? 'contains');
  const [tags, setTags] = useState((conditions.tags ?? []).join(', '));
  const [buttons, setButtons] = useState((conditions.button_ids ?? []).join(', '));
  const [hours, setHours] = useState<HoursChoice>(
    conditions.outside_business_hours === undefined ? 'any' : conditions.outside_business_hours ? 'outside' : 'inside',
  );
  const [replyText, setReplyText] = useState(reply?.type === 'reply' ? reply.message.content : '');
  const [assign, setAssign] = useState<AssignChoice>(assignChoiceOf(actions));
  const [addTags, setAddTags] = useState(tagsAction?.type === 'add_tags' ? tagsAction.tags.join(', ') : '');
  const [close, setClose] = useState(actions.some((action) => action.type === 'close'));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const nextConditions: AutomationConditions = {
      ...(list(keywords).length > 0 ? { keywords: list(keywords), match } : {}),
      ...(list(tags).length > 0 ? { tags: list(tags) } : {}),
      ...(trigger === 'button.clicked' && list(buttons).length > 0 ? { button_ids: list(buttons) } : {}),
      ...(conditions.channel_ids ? { channel_ids: conditions.channel_ids } : {}),
      ...(hours === 'any' ? {} : { outside_business_hours: hours === 'outside' }),
    };
    const nextActions: AutomationAction[] = [
      ...(replyText.trim() ? [{ type: 'reply' as const, message: { type: 'text' as const, content: replyText.trim() } }] : []),
      ...(assign === 'none'
        ? []
        : assign.startsWith('user:')
          ? [{ type: 'assign' as const, user_id: assign.slice(5) }]
          : [{ type: 'assign' as const, strategy: assign as 'round_robin' | 'least_busy' }]),
      ...(list(addTags).length > 0 ? [{ type: 'add_tags' as const, tags: list(addTags) }] : []),
      ...(close ? [{ type: 'close' as const }] : []),
    ];
    if (nextActions.length === 0) {
      setError(t('automations.form.needAction'));
      return;
    }
    setBusy(true);
    try {
      await onSave({ name: name.trim(), enabled: initial?.enabled ?? true, trigger, conditions: nextConditions, actions: nextActions });
      setError(null);
      if (!initial) {
        setName('');
        setKeywords('');
        setReplyText('');
        setAddTags('');
        setClose(false);
        setAssign('none');
      }
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const id = initial?.id ?? 'new';
  return (
    <form className="card form-grid automation-form" onSubmit={submit} aria-label={initial ? t('automations.editName', { name: initial.name }) : t('automations.newAutomation')}>
      <div className="field field-wide">
        <label htmlFor={`automation-name-${id}`}>{t('automations.form.name')}</label>
        <input id={`automation-name-${id}`} required value={name} onChange={(event) => setName(event.target.value)} />
      </div>
      <fieldset className="field-wide automation-group">
        <legend>{t('automations.form.when')}</legend>
        <div className="field">
          <label htmlFor={`automation-trigger-${id}`}>{t('automations.form.trigger')}</label>
          <select id={`automation-trigger-${id}`} value={trigger} onChange={(event) => setTrigger(event.target.value as Trigger)}>
            <option value="message.received">{t('automations.triggers.message.received')}</option>
            <option value="conversation.opened">{t('automations.triggers.conversation.opened')}</option>
            <option value="button.clicked">{t('automations.triggers.button.clicked')}</option>
          </select>
        </div>
        {trigger === 'button.clicked' ? (
          <div className="field">
            <label htmlFor={`automation-buttons-${id}`}>{t('automations.form.buttonIds')}</label>
            <input id={`automation-buttons-${id}`} value={buttons} onChange={(event) => setButtons(event.target.value)} placeholder="talk_to_sales, prices" />
          </div>
        ) : null}
      </fieldset>
      <fieldset className="field-wide automation-group">
        <legend>{t('automations.form.onlyIf')}</legend>
        <div className="field">
          <label htmlFor={`automation-keywords-${id}`}>{t('automations.form.keywords')}</label>
          <input id={`automation-keywords-${id}`} value={keywords} onChange={(event) => setKeywords(event.target.value)} placeholder={t('automations.form.keywordsPlaceholder')} />
        </div>
        <div className="field">
          <label htmlFor={`automation-match-${id}`}>{t('automations.form.keywordMatch')}</label>
          <select id={`automation-match-${id}`} value={match} onChange={(event) => setMatch(event.target.value === 'exact' ? 'exact' : 'contains')}>
            <option value="contains">{t('automations.form.contains')}</option>
            <option value="exact">{t('automations.form.exact')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`automation-tags-${id}`}>{t('automations.form.contactTags')}</label>
          <input id={`automation-tags-${id}`} value={tags} onChange={(event) => setTags(event.target.value)} placeholder="vip" />
        </div>
        <div className="field">
          <label htmlFor={`automation-hours-${id}`}>{t('automations.form.businessHours')}</label>
          <select id={`automation-hours-${id}`} value={hours} onChange={(event) => setHours(event.target.value as HoursChoice)}>
            <option value="any">{t('automations.form.anyTime')}</option>
            <option value="outside">{t('automations.form.outside')}</option>
            <option value="inside">{t('automations.form.inside')}</option>
          </select>
        </div>
      </fieldset>
      <fieldset className="field-wide automation-group">
        <legend>{t('automations.form.then')}</legend>
        <div className="field field-wide">
          <label htmlFor={`automation-reply-${id}`}>{t('automations.form.replyWith')}</label>
          <textarea id={`automation-reply-${id}`} rows={2} value={replyText} onChange={(event) => setReplyText(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`automation-assign-${id}`}>{t('automations.form.assignTo')}</label>
          <select id={`automation-assign-${id}`} value={assign} onChange={(event) => setAssign(event.target.value as AssignChoice)}>
            <option value="none">{t('automations.form.nobody')}</option>
            <option value="round_robin">{t('automations.form.roundRobin')}</option>
            <option value="least_busy">{t('automations.form.leastBusy')}</option>
            {agents.map((agent) => (
              <option key={agent.id} value={`user:${agent.id}`}>
                {agent.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`automation-add-tags-${id}`}>{t('automations.form.addTags')}</label>
          <input id={`automation-add-tags-${id}`} value={addTags} onChange={(event) => setAddTags(event.target.value)} placeholder="lead" />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={close} onChange={(event) => setClose(event.target.checked)} /> {t('automations.form.close')}
        </label>
      </fieldset>
      <InlineError error={error} />
      <div className="actions field-wide">
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t('automations.form.cancel')}
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {initial ? t('automations.form.save') : t('automations.form.add')}
        </button>
      </div>
    </form>
  );
}
