import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../src/db/schema.js';
import { withMetaMediaIds } from '../../src/templates/header-media.js';
import { deriveParameters, renderBody } from '../../src/templates/template-parameters.js';
import { reactionRequest, sendRequest } from '../../src/whatsapp/outbound/wire-format.js';
import { fixtureJson } from '../support/cloud-api-stand-in.js';
import { deliveryButtons as buttons } from '../support/interactive-fixtures.js';
import { validateSendRequest } from '../support/meta-schema.js';

const id = '2f6c1d0e-8a4b-4c3e-9f21-7d5a0b6e4c19';

describe('wire format of interactive messages, replies and reactions', () => {
  it('builds reply buttons like the fixture and a list, both valid against Meta’s schema', () => {
    const body = sendRequest({ id, type: 'interactive', content: buttons.body, template: null, interactive: buttons }, '+14155550123');
    assert.deepEqual(body, { ...fixtureJson('send-interactive-buttons-request.json'), biz_opaque_callback_data: id });
    assert.deepEqual(validateSendRequest(body).errors, []);
    const list = sendRequest(
      { id, type: 'interactive', content: 'Pick one', template: null, interactive: { type: 'list', body: 'Pick one', button: 'Options', sections: [{ title: 'Speed', rows: [{ id: 'express', title: 'Express', description: 'Next day' }] }] } },
      '+14155550123',
    );
    assert.deepEqual(validateSendRequest(list).errors, []);
  });

  it('quotes with context.message_id, and reacts without callback data, both valid against the schema', () => {
    const reply = sendRequest({ id, type: 'text', content: 'About this one', template: null, metadata: { context: { message_id: 'wamid.Q' } } }, '+14155550123');
    assert.deepEqual(reply.type === 'text' ? reply.context : undefined, { message_id: 'wamid.Q' });
    assert.deepEqual(validateSendRequest(reply).errors, []);
    const reaction = reactionRequest('+14155550123', 'wamid.Q', '👍');
    assert.deepEqual(reaction, { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+14155550123', type: 'reaction', reaction: { message_id: 'wamid.Q', emoji: '👍' } });
    assert.deepEqual(validateSendRequest(reaction).errors, []);
  });

  it('swaps a header’s FlowChat media id for Meta’s id when the message goes out', async () => {
    const request = sendRequest(
      { id, type: 'template', content: null, template: { name: 'order_shipped', language: 'en_US', components: [{ type: 'header', parameters: [{ type: 'image', image: { media_id: 'flowchat-media-1' } }] }] } },
      '+14155550123',
    );
    const resolved = await withMetaMediaIds(request, { kindsOf: async () => new Map(), metaIdFor: async (mediaId, channelId) => `meta-${channelId}-${mediaId}` }, 'sales');
    assert.deepEqual(resolved.type === 'template' ? resolved.template.components : undefined, [{ type: 'header', parameters: [{ type: 'image', image: { id: 'meta-sales-flowchat-media-1' } }] }]);
    assert.deepEqual(validateSendRequest(resolved).errors, []);
  });

  it('derives parameters from Meta’s components and renders the body as the customer reads it', () => {
    const components: JsonValue[] = [
      { type: 'HEADER', format: 'DOCUMENT' },
      { type: 'BODY', text: 'Olá {{first_name}}, {{ first_name }} tem consulta {{appointment_time}}.' },
      { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'X' }, { type: 'URL', url: 'https://x.example/{{1}}' }, { type: 'PHONE_NUMBER', phone_number: '+1555' }] },
    ];
    assert.deepEqual(deriveParameters(components), [
      { component: 'header', name: '1', format: 'document' },
      { component: 'body', name: 'first_name' },
      { component: 'body', name: 'appointment_time' },
      { component: 'button', index: 0, name: '1' },
      { component: 'button', index: 1, name: '1' },
    ]);
    assert.equal(
      renderBody(components, [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ana' }] }]),
      'Olá Ana, Ana tem consulta {{appointment_time}}.',
    );
  });
});
