/**
 * The sandbox channel's catalogue: a few approved demo templates in Meta's shape (positional and
 * named values, a media header, buttons), so the picker and campaigns work without Meta.
 */
import { deriveParameters } from './template-parameters.js';
import type { TemplateRow } from './template.repository.js';

/** The WABA id the sandbox's catalogue is kept under. */
export const SANDBOX_BUSINESS_ACCOUNT_ID = 'sandbox';

function demo(name: string, language: string, category: string, components: TemplateRow['components']): TemplateRow {
  return {
    meta_id: `sandbox_${name}_${language}`,
    name,
    language,
    category,
    status: 'APPROVED',
    components,
    parameters: deriveParameters(components).map((parameter) => ({ ...parameter })),
    rejected_reason: null,
  };
}

export const sandboxTemplates: readonly TemplateRow[] = [
  demo('hello_world', 'en_US', 'UTILITY', [
    { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
    { type: 'BODY', text: 'Welcome to FlowChat! This is a demo template of the sandbox channel.' },
    { type: 'FOOTER', text: 'FlowChat sandbox' },
  ]),
  demo('order_shipped', 'en_US', 'UTILITY', [
    { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://example.com/parcel.jpg'] } },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped and arrives {{3}}.', example: { body_text: [['Dana', 'A12345', 'Friday']] } },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track order' }, { type: 'URL', text: 'Open order', url: 'https://shop.example.com/orders/{{1}}', example: ['https://shop.example.com/orders/A12345'] }] },
  ]),
  demo('appointment_reminder', 'pt_BR', 'UTILITY', [
    { type: 'BODY', text: 'Olá {{first_name}}, lembramos da sua consulta em {{appointment_time}}.', example: { body_text_named_params: [{ param_name: 'first_name', example: 'João' }, { param_name: 'appointment_time', example: '26/11 14:30' }] } },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Confirmar' }, { type: 'QUICK_REPLY', text: 'Remarcar' }] },
  ]),
  demo('welcome_offer', 'en_US', 'MARKETING', [
    { type: 'HEADER', format: 'TEXT', text: 'A gift for {{1}}' },
    { type: 'BODY', text: 'Thanks for joining, {{1}}! Use the code below for {{2}} off your first order.', example: { body_text: [['Dana', '10%']] } },
    { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'WELCOME10' }] },
  ]),
];
