/** The template catalogue's routes: the list's query, a template, and a sync's answer. */
import { Type } from 'typebox';

export const TemplateListQuerySchema = Type.Object({
  status: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z_]+$', description: 'Meta’s status, e.g. `APPROVED`' })),
  language: Type.Optional(Type.String({ minLength: 2, maxLength: 16, pattern: '^[A-Za-z_]+$', description: 'A language code, e.g. `en_US`' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Part of the name' })),
  channel_id: Type.Optional(Type.String({ format: 'uuid', description: 'Only the catalogue this channel sends from (its WABA’s, else WHATSAPP_BUSINESS_ACCOUNT_ID’s)' })),
});

export const TemplateParameterSchema = Type.Object({
  component: Type.Union([Type.Literal('header'), Type.Literal('body'), Type.Literal('button')]),
  index: Type.Optional(Type.Integer({ description: 'Buttons: the button’s position' })),
  name: Type.String({ description: '`1`, `2`… for positional templates, the parameter’s name for named ones' }),
  format: Type.Optional(Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('document')], { description: 'A media header' })),
});

export const TemplateSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    business_account_id: Type.String({ description: 'The WABA the template belongs to' }),
    name: Type.String(),
    language: Type.String(),
    category: Type.Union([Type.String(), Type.Null()]),
    status: Type.String({ description: 'Meta’s: `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`, `IN_APPEAL`, `DELETED`, …' }),
    components: Type.Array(Type.Unknown(), { description: 'Meta’s component definitions' }),
    parameters: Type.Array(TemplateParameterSchema, { description: 'What a send must fill' }),
    rejected_reason: Type.Optional(Type.String()),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { description: 'A WhatsApp message template of the catalogue' },
);

export const TemplateListSchema = Type.Object({ items: Type.Array(TemplateSchema) });

export const TemplateSyncAnswerSchema = Type.Object({
  added: Type.Integer(),
  updated: Type.Integer(),
  removed: Type.Integer({ description: 'Templates Meta no longer lists, kept as `DELETED`' }),
});
