import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import type { InteractiveBody } from '../../api/types.js';
import { InlineError } from '../../ui/inline-error.js';

interface InteractiveComposerProps {
  readonly onSend: (interactive: InteractiveBody) => Promise<void>;
  readonly onCancel: () => void;
}

interface Choice {
  readonly title: string;
  readonly description: string;
}

/** Meta's limits, shown as the agent types (the server checks them again). */
const limits = { body: 1024, header: 60, footer: 60, buttonTitle: 20, rowTitle: 24, description: 72, label: 20, buttons: 3, rows: 10 } as const;

/** An id for a choice from its title (unique within the message). */
function idsFor(titles: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return titles.map((title) => {
    const base = title.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'choice';
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}

/** Composes reply buttons (up to 3) or a list (up to 10 rows) with Meta's limits counted live. */
export function InteractiveComposer({ onSend, onCancel }: InteractiveComposerProps) {
  const id = useId();
  const { t } = useTranslation();
  const [kind, setKind] = useState<'button' | 'list'>('button');
  const [body, setBody] = useState('');
  const [header, setHeader] = useState('');
  const [footer, setFooter] = useState('');
  const [label, setLabel] = useState(() => t('templates.interactive.defaultListButton'));
  const [choices, setChoices] = useState<readonly Choice[]>([{ title: '', description: '' }, { title: '', description: '' }]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const most = kind === 'button' ? limits.buttons : limits.rows;
  const titleMax = kind === 'button' ? limits.buttonTitle : limits.rowTitle;

  const setChoice = (index: number, change: Partial<Choice>) => setChoices((old) => old.map((choice, at) => (at === index ? { ...choice, ...change } : choice)));

  const build = (): InteractiveBody | string => {
    const filled = choices.filter((choice) => choice.title.trim());
    if (!body.trim()) return t('templates.interactive.writeText');
    if (filled.length === 0) return kind === 'button' ? t('templates.interactive.needButton') : t('templates.interactive.needRow');
    if (filled.length > most) return kind === 'button' ? t('templates.interactive.tooManyButtons', { count: most }) : t('templates.interactive.tooManyRows', { count: most });
    const ids = idsFor(filled.map((choice) => choice.title));
    const frame = { body: body.trim(), ...(header.trim() ? { header: header.trim() } : {}), ...(footer.trim() ? { footer: footer.trim() } : {}) };
    if (kind === 'button') return { type: 'button', ...frame, buttons: filled.map((choice, index) => ({ id: ids[index] ?? `b${index}`, title: choice.title.trim() })) };
    return {
      type: 'list',
      ...frame,
      button: label.trim(),
      sections: [{ rows: filled.map((choice, index) => ({ id: ids[index] ?? `r${index}`, title: choice.title.trim(), ...(choice.description.trim() ? { description: choice.description.trim() } : {}) })) }],
    };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const interactive = build();
    if (typeof interactive === 'string') {
      setError(interactive);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSend(interactive);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const counter = (value: string, max: number) => (
    <span className={`char-count${[...value].length > max ? ' over' : ''}`}>
      {[...value].length}/{max}
    </span>
  );

  return (
    <form className="interactive-composer" onSubmit={submit} aria-label={t('templates.interactive.label')}>
      <fieldset className="segmented">
        <legend className="visually-hidden">{t('templates.interactive.kind')}</legend>
        <label>
          <input type="radio" name={`${id}-kind`} checked={kind === 'button'} onChange={() => setKind('button')} /> {t('templates.interactive.replyButtons')}
        </label>
        <label>
          <input type="radio" name={`${id}-kind`} checked={kind === 'list'} onChange={() => setKind('list')} /> {t('templates.interactive.list')}
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-header`}>{t('templates.interactive.header')} {counter(header, limits.header)}</label>
        <input id={`${id}-header`} value={header} onChange={(event) => setHeader(event.target.value)} />
      </div>
      <div className="field field-wide">
        <label htmlFor={`${id}-body`}>{t('templates.interactive.text')} {counter(body, limits.body)}</label>
        <textarea id={`${id}-body`} rows={2} value={body} onChange={(event) => setBody(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-footer`}>{t('templates.interactive.footer')} {counter(footer, limits.footer)}</label>
        <input id={`${id}-footer`} value={footer} onChange={(event) => setFooter(event.target.value)} />
      </div>
      {kind === 'list' ? (
        <div className="field">
          <label htmlFor={`${id}-label`}>{t('templates.interactive.listButton')} {counter(label, limits.label)}</label>
          <input id={`${id}-label`} value={label} onChange={(event) => setLabel(event.target.value)} />
        </div>
      ) : null}
      <ol className="interactive-choices">
        {choices.slice(0, most).map((choice, index) => (
          <li key={index}>
            <label htmlFor={`${id}-choice-${index}`}>
              {kind === 'button' ? t('templates.interactive.button', { number: index + 1 }) : t('templates.interactive.row', { number: index + 1 })} {counter(choice.title, titleMax)}
            </label>
            <input id={`${id}-choice-${index}`} value={choice.title} onChange={(event) => setChoice(index, { title: event.target.value })} />
            {kind === 'list' ? (
              <input aria-label={t('templates.interactive.rowDescription', { number: index + 1 })} placeholder={t('templates.interactive.descriptionPlaceholder')} value={choice.description} onChange={(event) => setChoice(index, { description: event.target.value })} />
            ) : null}
          </li>
        ))}
      </ol>
      {choices.length < most ? (
        <button type="button" onClick={() => setChoices((old) => [...old, { title: '', description: '' }])}>
          {kind === 'button' ? t('templates.interactive.addButton') : t('templates.interactive.addRow')}
        </button>
      ) : null}
      <InlineError error={error} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('templates.picker.backToText')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {kind === 'button' ? t('templates.interactive.sendButtons') : t('templates.interactive.sendList')}
        </button>
      </div>
    </form>
  );
}
