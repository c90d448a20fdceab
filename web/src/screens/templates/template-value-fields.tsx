import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/api-error.js';
import { uploadMedia } from '../../api/templates.js';
import type { CatalogueTemplate, TemplateRef } from '../../api/types.js';
import { fieldKey, fieldLabel, missingFields, previewOf, templateRefFor, type Preview, type Values } from './template-values.js';

const keyOf = (template: CatalogueTemplate): string => `${template.name}:${template.language}`;
const accepts: Readonly<Record<string, string>> = { image: 'image/jpeg,image/png', video: 'video/mp4,video/3gpp', document: 'application/pdf' };

/** A catalogue template being filled in: the choice, the values typed, header media uploaded. */
export interface TemplateValuesState {
  readonly templates: readonly CatalogueTemplate[];
  readonly template: CatalogueTemplate;
  readonly values: Values;
  readonly mediaNames: Readonly<Record<string, string>>;
  readonly uploading: boolean;
  readonly uploadError: string | null;
  readonly preview: Preview;
  readonly missing: readonly string[];
  choose(key: string): void;
  setValue(key: string, value: string): void;
  upload(key: string, file: File | undefined): Promise<void>;
  reset(): void;
  /** The template as a send carries it. */
  ref(): TemplateRef;
}

export function useTemplateValues(templates: readonly CatalogueTemplate[]): TemplateValuesState {
  const [selected, setSelected] = useState(() => (templates[0] ? keyOf(templates[0]) : ''));
  const [values, setValues] = useState<Values>({});
  const [mediaNames, setMediaNames] = useState<Readonly<Record<string, string>>>({});
  const { t } = useTranslation();
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const template = templates.find((item) => keyOf(item) === selected) ?? (templates[0] as CatalogueTemplate);
  const preview = useMemo(() => previewOf(template, values), [template, values]);
  const reset = () => {
    setValues({});
    setMediaNames({});
    setUploadError(null);
  };
  return {
    templates,
    template,
    values,
    mediaNames,
    uploading,
    uploadError,
    preview,
    missing: missingFields(template, values),
    choose(key) {
      setSelected(key);
      reset();
    },
    setValue: (key, value) => setValues((old) => ({ ...old, [key]: value })),
    async upload(key, file) {
      if (!file) return;
      setUploading(true);
      setUploadError(null);
      try {
        const media = await uploadMedia(file);
        setValues((old) => ({ ...old, [key]: media.id }));
        setMediaNames((old) => ({ ...old, [key]: file.name }));
      } catch (reason) {
        setUploadError(t('templates.picker.uploadFailed', { reason: errorMessage(reason) }));
      } finally {
        setUploading(false);
      }
    },
    reset,
    ref: () => templateRefFor(template, values),
  };
}

/** The template choice and a field per variable (a file input for a media header). */
export function TemplateValueFields({ state }: { readonly state: TemplateValuesState }) {
  const id = useId();
  const { template } = state;
  const { t } = useTranslation();
  return (
    <div className="template-picker-fields">
      <div className="field">
        <label htmlFor={`${id}-template`}>{t('templates.picker.template')}</label>
        <select id={`${id}-template`} value={keyOf(template)} onChange={(event) => state.choose(event.target.value)}>
          {state.templates.map((item) => (
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
              <input id={`${id}-${key}`} type="file" accept={accepts[parameter.format]} disabled={state.uploading} onChange={(event) => void state.upload(key, event.target.files?.[0])} />
              {state.mediaNames[key] ? <p className="hint">{t('templates.picker.uploaded', { name: state.mediaNames[key] })}</p> : null}
            </div>
          );
        }
        return (
          <div className="field" key={key}>
            <label htmlFor={`${id}-${key}`}>{label}</label>
            <input id={`${id}-${key}`} value={state.values[key] ?? ''} onChange={(event) => state.setValue(key, event.target.value)} />
          </div>
        );
      })}
      {template.parameters.length === 0 ? <p className="hint">{t('templates.picker.noVariables')}</p> : null}
    </div>
  );
}

/** The message as the customer will see it with the values typed so far. */
export function TemplatePreview({ state }: { readonly state: TemplateValuesState }) {
  const { preview, mediaNames } = state;
  const { t } = useTranslation();
  return (
    <figure className="template-preview" aria-label={t('templates.picker.preview')}>
      <figcaption className="visually-hidden">{t('templates.picker.previewCaption')}</figcaption>
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
  );
}
