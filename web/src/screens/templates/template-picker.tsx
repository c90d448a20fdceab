import { useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage } from '../../api/api-error.js';
import { listTemplates, uploadMedia } from '../../api/templates.js';
import type { CatalogueTemplate, TemplateRef } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import { TemplateComposer } from '../inbox/template-composer.js';
import { fieldKey, fieldLabel, missingFields, previewOf, templateRefFor, type Values } from './template-values.js';

interface TemplatePickerProps {
  readonly onSend: (template: TemplateRef) => Promise<void>;
  readonly onCancel?: () => void;
}

const keyOf = (template: CatalogueTemplate): string => `${template.name}:${template.language}`;
const accepts: Readonly<Record<string, string>> = { image: 'image/jpeg,image/png', video: 'video/mp4,video/3gpp', document: 'application/pdf' };

/**
 * Sends a template of the catalogue: choose one, fill a field per variable (uploading a header's
 * media), and see the message as the customer will. Without a catalogue, the free-form composer.
 */
export function TemplatePicker({ onSend, onCancel }: TemplatePickerProps) {
  const catalogue = useAsync((signal) => (void signal, listTemplates({ status: 'APPROVED' })), []);
  const templates = catalogue.data ?? [];
  if (catalogue.loading && !catalogue.data) return <Loading label="Loading templates…" />;
  if (templates.length === 0) return <TemplateComposer onSend={onSend} {...(onCancel ? { onCancel } : {})} />;
  return <CatalogueForm templates={templates} onSend={onSend} {...(onCancel ? { onCancel } : {})} />;
}

function CatalogueForm({ templates, onSend, onCancel }: TemplatePickerProps & { readonly templates: readonly CatalogueTemplate[] }) {
  const id = useId();
  const [selected, setSelected] = useState(() => keyOf(templates[0] as CatalogueTemplate));
  const [values, setValues] = useState<Values>({});
  const [mediaNames, setMediaNames] = useState<Readonly<Record<string, string>>>({});
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const template = templates.find((item) => keyOf(item) === selected) ?? (templates[0] as CatalogueTemplate);
  const preview = useMemo(() => previewOf(template, values), [template, values]);
  const missing = missingFields(template, values);

  const choose = (key: string) => {
    setSelected(key);
    setValues({});
    setMediaNames({});
    setError(null);
  };

  const upload = async (key: string, file: File | undefined) => {
    if (!file) return;
    setUploading(true);
    setError(null);
    try {
      const media = await uploadMedia(file);
      setValues((old) => ({ ...old, [key]: media.id }));
      setMediaNames((old) => ({ ...old, [key]: file.name }));
    } catch (reason) {
      setError(`The file could not be uploaded: ${errorMessage(reason)}`);
    } finally {
      setUploading(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (missing.length > 0) {
      setError(`Fill in ${missing.join(', ')}.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSend(templateRefFor(template, values));
      setValues({});
      setMediaNames({});
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="template-picker" onSubmit={submit} aria-label="Send a template">
      <div className="template-picker-fields">
        <div className="field">
          <label htmlFor={`${id}-template`}>Template</label>
          <select id={`${id}-template`} value={keyOf(template)} onChange={(event) => choose(event.target.value)}>
            {templates.map((item) => (
              <option key={keyOf(item)} value={keyOf(item)}>
                {item.name} ({item.language})
              </option>
            ))}
          </select>
        </div>
        {template.parameters.map((parameter) => {
          const key = fieldKey(parameter);
          const label = fieldLabel(template, parameter);
          if (parameter.format) {
            return (
              <div className="field" key={key}>
                <label htmlFor={`${id}-${key}`}>{label}</label>
                <input id={`${id}-${key}`} type="file" accept={accepts[parameter.format]} disabled={uploading} onChange={(event) => void upload(key, event.target.files?.[0])} />
                {mediaNames[key] ? <p className="hint">Uploaded: {mediaNames[key]}</p> : null}
              </div>
            );
          }
          return (
            <div className="field" key={key}>
              <label htmlFor={`${id}-${key}`}>{label}</label>
              <input id={`${id}-${key}`} value={values[key] ?? ''} onChange={(event) => setValues((old) => ({ ...old, [key]: event.target.value }))} />
            </div>
          );
        })}
        {template.parameters.length === 0 ? <p className="hint">This template has no variables.</p> : null}
      </div>
      <figure className="template-preview" aria-label="Preview">
        <figcaption className="visually-hidden">What the customer will see</figcaption>
        <div className="bubble bubble-out">
          {preview.mediaHeader ? <p className="template-preview-media">[{preview.mediaHeader}{mediaNames['header.1'] ? `: ${mediaNames['header.1']}` : ''}]</p> : null}
          {preview.header ? <p className="template-preview-header">{preview.header}</p> : null}
          <p className="bubble-text" data-testid="template-preview-body">
            {preview.body}
          </p>
          {preview.footer ? <p className="template-preview-footer">{preview.footer}</p> : null}
          {preview.buttons.length > 0 ? (
            <ul className="template-preview-buttons">
              {preview.buttons.map((button, index) => (
                <li key={index}>{button.text || button.type.toLowerCase().replace('_', ' ')}</li>
              ))}
            </ul>
          ) : null}
        </div>
      </figure>
      <InlineError error={error} />
      <div className="actions">
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Back to text
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={busy || uploading}>
          Send template
        </button>
      </div>
    </form>
  );
}
