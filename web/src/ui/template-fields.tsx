import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplateRef } from '../api/types.js';

export interface TemplateDraft {
  readonly name: string;
  readonly language: string;
  /** One body variable per line: {{1}}, {{2}}, … */
  readonly variables: string;
}

export const EMPTY_TEMPLATE: TemplateDraft = { name: '', language: 'en_US', variables: '' };

/** The API's template object for a draft; variables become the body component's parameters. */
export function templateFromDraft(draft: TemplateDraft): TemplateRef {
  const parameters = draft.variables
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((text) => ({ type: 'text', text }));
  return {
    name: draft.name.trim(),
    language: draft.language.trim() || 'en_US',
    ...(parameters.length > 0 ? { components: [{ type: 'body', parameters }] } : {}),
  };
}

interface TemplateFieldsProps {
  readonly draft: TemplateDraft;
  readonly onChange: (draft: TemplateDraft) => void;
  readonly suggestions: readonly TemplateRef[];
  readonly variablesHint?: string;
}

/** Template name, language and body variables, shared by the closed-window composer and campaigns. */
export function TemplateFields({ draft, onChange, suggestions, variablesHint }: TemplateFieldsProps) {
  const id = useId();
  const { t } = useTranslation();
  return (
    <div className="template-fields">
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('templates.fields.name')}</label>
        <input
          id={`${id}-name`}
          list={`${id}-names`}
          value={draft.name}
          required
          placeholder={t('templates.fields.namePlaceholder')}
          pattern="[a-z0-9_]+"
          title={t('templates.fields.nameTitle')}
          onChange={(event) => {
            const name = event.target.value;
            const known = suggestions.find((item) => item.name === name);
            onChange({ ...draft, name, language: known ? known.language : draft.language });
          }}
        />
        <datalist id={`${id}-names`}>
          {suggestions.map((item) => (
            <option key={`${item.name}:${item.language}`} value={item.name}>
              {item.language}
            </option>
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor={`${id}-language`}>{t('templates.fields.language')}</label>
        <input
          id={`${id}-language`}
          value={draft.language}
          onChange={(event) => onChange({ ...draft, language: event.target.value })}
        />
      </div>
      <div className="field field-wide">
        <label htmlFor={`${id}-variables`}>{t('templates.fields.variables')}</label>
        <textarea
          id={`${id}-variables`}
          rows={2}
          value={draft.variables}
          aria-describedby={variablesHint ? `${id}-hint` : undefined}
          onChange={(event) => onChange({ ...draft, variables: event.target.value })}
        />
        {variablesHint ? (
          <p className="hint" id={`${id}-hint`}>
            {variablesHint}
          </p>
        ) : null}
      </div>
    </div>
  );
}
