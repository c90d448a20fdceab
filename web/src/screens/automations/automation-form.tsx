import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import type { TeamMember } from '../../api/types.js';
import { useSubmission } from '../../lib/use-submission.js';
import { Field } from '../../ui/field.js';
import { FormActions } from '../../ui/form-actions.js';
import { InlineError } from '../../ui/inline-error.js';
import { SelectField } from '../../ui/select.js';
import type { Option } from '../../ui/select.js';
import { TextField } from '../../ui/text-field.js';
import type { Automation, AutomationAction, AutomationConditions, AutomationInput, Trigger } from './api.js';

type AssignChoice = 'none' | 'round_robin' | 'least_busy' | `user:${string}`;
type HoursChoice = 'any' | 'outside' | 'inside';

const TRIGGERS: readonly Trigger[] = ['message.received', 'conversation.opened', 'button.clicked'];

/** The options of the form's selects, in the reader's language. */
function choicesOf(t: TFunction, agents: readonly TeamMember[]) {
  const option = <V extends string>(value: V, label: string): Option<V> => ({ value, label });
  return {
    trigger: TRIGGERS.map((value) => option(value, t(`automations.triggers.${value}`))),
    match: [option('contains', t('automations.form.contains')), option('exact', t('automations.form.exact'))],
    hours: [option<HoursChoice>('any', t('automations.form.anyTime')), option<HoursChoice>('outside', t('automations.form.outside')), option<HoursChoice>('inside', t('automations.form.inside'))],
    assign: [
      option<AssignChoice>('none', t('automations.form.nobody')),
      option<AssignChoice>('round_robin', t('automations.form.roundRobin')),
      option<AssignChoice>('least_busy', t('automations.form.leastBusy')),
      ...agents.map((agent) => option<AssignChoice>(`user:${agent.id}`, agent.name)),
    ],
  };
}

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
  const saving = useSubmission();

  const submit = (event: FormEvent) => {
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
    if (nextActions.length === 0) return saving.setError(t('automations.form.needAction'));
    void saving.run(async () => {
      await onSave({ name: name.trim(), enabled: initial?.enabled ?? true, trigger, conditions: nextConditions, actions: nextActions });
      if (!initial) {
        setName('');
        setKeywords('');
        setReplyText('');
        setAddTags('');
        setClose(false);
        setAssign('none');
      }
    });
  };

  const id = initial?.id ?? 'new';
  const choices = choicesOf(t, agents);
  return (
    <form className="card form-grid automation-form" onSubmit={submit} aria-label={initial ? t('automations.editName', { name: initial.name }) : t('automations.newAutomation')}>
      <TextField id={`automation-name-${id}`} label={t('automations.form.name')} className="field-wide" required value={name} onChange={setName} />
      <fieldset className="field-wide automation-group">
        <legend>{t('automations.form.when')}</legend>
        <SelectField id={`automation-trigger-${id}`} label={t('automations.form.trigger')} value={trigger} onChange={setTrigger} options={choices.trigger} />
        {trigger === 'button.clicked' ? (
          <TextField id={`automation-buttons-${id}`} label={t('automations.form.buttonIds')} value={buttons} onChange={setButtons} placeholder="talk_to_sales, prices" />
        ) : null}
      </fieldset>
      <fieldset className="field-wide automation-group">
        <legend>{t('automations.form.onlyIf')}</legend>
        <TextField
          id={`automation-keywords-${id}`}
          label={t('automations.form.keywords')}
          value={keywords}
          onChange={setKeywords}
          placeholder={t('automations.form.keywordsPlaceholder')}
        />
        <SelectField id={`automation-match-${id}`} label={t('automations.form.keywordMatch')} value={match} onChange={setMatch} options={choices.match} />
        <TextField id={`automation-tags-${id}`} label={t('automations.form.contactTags')} value={tags} onChange={setTags} placeholder="vip" />
        <SelectField id={`automation-hours-${id}`} label={t('automations.form.businessHours')} value={hours} onChange={setHours} options={choices.hours} />
      </fieldset>
      <fieldset className="field-wide automation-group">
        <legend>{t('automations.form.then')}</legend>
        <Field id={`automation-reply-${id}`} label={t('automations.form.replyWith')} className="field-wide">
          {(control) => <textarea {...control} rows={2} value={replyText} onChange={(event) => setReplyText(event.target.value)} />}
        </Field>
        <SelectField id={`automation-assign-${id}`} label={t('automations.form.assignTo')} value={assign} onChange={setAssign} options={choices.assign} />
        <TextField id={`automation-add-tags-${id}`} label={t('automations.form.addTags')} value={addTags} onChange={setAddTags} placeholder="lead" />
        <label className="checkbox">
          <input type="checkbox" checked={close} onChange={(event) => setClose(event.target.checked)} /> {t('automations.form.close')}
        </label>
      </fieldset>
      <InlineError error={saving.error} />
      <FormActions
        wide
        disabled={saving.busy}
        cancel={onCancel ? { label: t('automations.form.cancel'), onClick: onCancel } : undefined}
        submit={initial ? t('automations.form.save') : t('automations.form.add')}
      />
    </form>
  );
}
