/**
 * What the picker needs from a catalogue template: a field per parameter, the components a send
 * carries for the values typed, and the message as the customer will see it.
 */
import i18next from 'i18next';
import type { CatalogueTemplate, TemplateComponent, TemplateParameter, TemplateRef } from '../../api/types.js';

export type Values = Readonly<Record<string, string>>;

/** The key of a parameter's field, as the API's error details name it (`body.2`, `button.1`). */
export function fieldKey(parameter: TemplateParameter): string {
  return parameter.component === 'button' ? `button.${parameter.index ?? 0}` : `${parameter.component}.${parameter.name}`;
}

function component(template: CatalogueTemplate, type: string): Readonly<Record<string, unknown>> | undefined {
  return template.components.find((item) => String(item['type']).toUpperCase() === type);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export interface TemplateButton {
  readonly type: string;
  readonly text: string;
}

export function buttonsOf(template: CatalogueTemplate): TemplateButton[] {
  const buttons = component(template, 'BUTTONS')?.['buttons'];
  return Array.isArray(buttons) ? buttons.map((button: Record<string, unknown>) => ({ type: String(button['type'] ?? '').toUpperCase(), text: text(button['text']) ?? '' })) : [];
}

/** A label for the field of `parameter`. */
export function fieldLabel(template: CatalogueTemplate, parameter: TemplateParameter): string {
  if (parameter.format) return i18next.t('templates.picker.headerMedia', { format: i18next.t(`templates.picker.formats.${parameter.format}`) });
  if (parameter.component === 'button') {
    const button = buttonsOf(template)[parameter.index ?? 0];
    return button?.type === 'COPY_CODE' ? i18next.t('templates.picker.couponCode') : i18next.t('templates.picker.buttonLink', { text: button?.text ?? '' });
  }
  const variable = `{{${parameter.name}}}`;
  return parameter.component === 'header' ? i18next.t('templates.picker.headerVariable', { variable }) : i18next.t('templates.picker.bodyVariable', { variable });
}

const positional = /^\d+$/;

/** The send's components for the values typed (`media` holds the header's FlowChat media id). */
export function componentsFor(template: CatalogueTemplate, values: Values): TemplateComponent[] {
  const components: TemplateComponent[] = [];
  for (const part of ['header', 'body'] as const) {
    const parameters = template.parameters.filter((parameter) => parameter.component === part);
    if (parameters.length === 0) continue;
    components.push({
      type: part,
      parameters: parameters.map((parameter) => {
        const value = values[fieldKey(parameter)] ?? '';
        if (parameter.format) return { type: parameter.format, [parameter.format]: { media_id: value } };
        return { type: 'text', text: value, ...(positional.test(parameter.name) ? {} : { parameter_name: parameter.name }) };
      }),
    });
  }
  const buttons = buttonsOf(template);
  for (const parameter of template.parameters.filter((item) => item.component === 'button')) {
    const index = parameter.index ?? 0;
    const value = values[fieldKey(parameter)] ?? '';
    const copyCode = buttons[index]?.type === 'COPY_CODE';
    components.push({
      type: 'button',
      sub_type: copyCode ? 'copy_code' : 'url',
      index: String(index),
      parameters: [copyCode ? { type: 'coupon_code', coupon_code: value } : { type: 'text', text: value }],
    });
  }
  return components;
}

export function templateRefFor(template: CatalogueTemplate, values: Values): TemplateRef {
  const components = componentsFor(template, values);
  return { name: template.name, language: template.language, ...(components.length > 0 ? { components } : {}) };
}

function fill(source: string | undefined, part: 'header' | 'body', values: Values): string {
  return (source ?? '').replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => values[`${part}.${name}`]?.trim() || whole);
}

export interface Preview {
  readonly header: string | undefined;
  readonly mediaHeader: string | undefined;
  readonly body: string;
  readonly footer: string | undefined;
  readonly buttons: readonly TemplateButton[];
}

/** The message as the customer will read it with these values (placeholders left where empty). */
export function previewOf(template: CatalogueTemplate, values: Values): Preview {
  const header = component(template, 'HEADER');
  const format = text(header?.['format'])?.toUpperCase();
  return {
    header: format === 'TEXT' || (!format && header) ? fill(text(header?.['text']), 'header', values) : undefined,
    mediaHeader: format && format !== 'TEXT' ? format.toLowerCase() : undefined,
    body: fill(text(component(template, 'BODY')?.['text']), 'body', values),
    footer: text(component(template, 'FOOTER')?.['text']),
    buttons: buttonsOf(template),
  };
}

/** The labels of the fields still empty. */
export function missingFields(template: CatalogueTemplate, values: Values): string[] {
  return template.parameters.filter((parameter) => !values[fieldKey(parameter)]?.trim()).map((parameter) => fieldLabel(template, parameter));
}
