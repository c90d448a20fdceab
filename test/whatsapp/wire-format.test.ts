import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelayMs, classifyErrorCode, pairLimitDelayMs, transientFailure } from '../../src/whatsapp/outbound/error-classification.js';
import { interpretAnswer } from '../../src/whatsapp/outbound/cloud-api-client.js';
import { isValidSignature, webhookSignature } from '../../src/whatsapp/inbound/webhook-signature.js';
import { markReadRequest, sendRequest, WireFormatError } from '../../src/whatsapp/outbound/wire-format.js';
import { fixtureBytes, fixtureJson } from '../support/cloud-api-stand-in.js';
import { validateSendRequest } from '../support/meta-schema.js';

const id = '2f6c1d0e-8a4b-4c3e-9f21-7d5a0b6e4c19';

describe('wire format', () => {
  it('builds a text send exactly like the fixture, valid against Meta’s schema', () => {
    const body = sendRequest({ id, type: 'text', content: 'Hi Dana, yes: order A12345 is on schedule for Friday.', template: null }, '+14155550123');
    assert.deepEqual(body, fixtureJson('send-text-request.json'));
    assert.deepEqual(validateSendRequest(body).errors, []);
  });

  it('builds template sends (positional with buttons, named parameters) like the fixtures, valid against the schema', () => {
    for (const file of ['send-template-request.json', 'send-template-named-request.json']) {
      const expected = fixtureJson<{ to: string; template: { name: string; language: { code: string }; components: unknown[] }; biz_opaque_callback_data: string }>(file);
      const body = sendRequest(
        {
          id: expected.biz_opaque_callback_data,
          type: 'template',
          content: null,
          template: { name: expected.template.name, language: expected.template.language.code, components: expected.template.components as never },
        },
        expected.to,
      );
      assert.deepEqual(body, expected, file);
      assert.deepEqual(validateSendRequest(body).errors, [], file);
    }
  });

  it('always sends E.164 with its +, a string button index, and no empty components', () => {
    const body = sendRequest(
      { id, type: 'template', content: null, template: { name: 'promo', language: { code: 'pt_BR' }, components: [{ type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: 'X1' }] }] } },
      '5511987654321',
    );
    assert.equal(body.to, '+5511987654321');
    assert.equal(body.type, 'template');
    assert.deepEqual(validateSendRequest(body).errors, []);
    if (body.type === 'template') assert.equal((body.template.components?.[0] as { index: string }).index, '0');
    const bare = sendRequest({ id, type: 'template', content: null, template: { name: 'hello_world', language: 'en_US', components: [] } }, '+14155550123');
    assert.ok(bare.type === 'template' && !('components' in bare.template));
    assert.deepEqual(validateSendRequest(bare).errors, []);
  });

  it('previews links only when the text has one', () => {
    const body = sendRequest({ id, type: 'text', content: 'Track it at https://flowchat.example/t/1', template: null }, '+14155550123');
    assert.ok(body.type === 'text' && body.text.preview_url);
  });

  it('refuses what cannot be sent instead of sending it malformed', () => {
    assert.throws(() => sendRequest({ id, type: 'text', content: 'x'.repeat(4097), template: null }, '+14155550123'), WireFormatError);
    assert.throws(() => sendRequest({ id, type: 'image', content: null, template: null }, '+14155550123'), WireFormatError);
    assert.throws(() => sendRequest({ id, type: 'template', content: null, template: { language: 'en_US' } }, '+14155550123'), WireFormatError);
    assert.throws(() => sendRequest({ id, type: 'text', content: 'hi', template: null }, '12'), WireFormatError);
  });

  it('builds the read receipt like the fixture', () => {
    assert.deepEqual(markReadRequest('wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQzQTdGMkM5MUU0QjA1RDZBOEMxMwA='), fixtureJson('mark-as-read-request.json'));
  });
});

describe('Cloud API answers', () => {
  it('reads the wamid and wa_id of an accepted send', () => {
    const result = interpretAnswer({ status: 200, body: fixtureBytes('send-success-response.json').toString() }, true);
    assert.deepEqual(result, { kind: 'accepted', wamid: 'wamid.HBgLMTQxNTU1NTAxMjMVAgARGBI1RTNCOUMwRjcxQTI0RDg2RTEA', waId: '14155550123' });
  });

  it('branches on the Graph error code, never on the HTTP status', () => {
    const rejected = interpretAnswer({ status: 400, body: fixtureBytes('error-131047-response.json').toString() }, true);
    assert.equal(rejected.kind, 'rejected');
    assert.ok(rejected.kind === 'rejected' && rejected.code === 131047 && rejected.details?.startsWith('Message failed to send'));
    const as500 = interpretAnswer({ status: 500, body: fixtureBytes('error-190-response.json').toString() }, true);
    assert.ok(as500.kind === 'rejected' && as500.code === 190);
    assert.equal(interpretAnswer({ status: 502, body: '<html>Bad gateway</html>' }, true).kind, 'transient');
    assert.equal(interpretAnswer({ status: 404, body: 'not found' }, true).kind, 'misconfigured');
    assert.equal(interpretAnswer({ status: 200, body: '{}' }, true).kind, 'unknown');
  });
});

describe('error codes', () => {
  it('classifies every code of the rules', () => {
    for (const code of [130429, 80007, 131000, 4, 2, 131016, 133004, 131057, 1]) assert.equal(classifyErrorCode(code).kind, 'backoff', String(code));
    assert.equal(classifyErrorCode(131056).kind, 'later');
    for (const code of [131026, 131047, 131049, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 100, 131008, 131009, 999999]) {
      assert.deepEqual(classifyErrorCode(code), { kind: 'fail', optOut: false }, String(code));
    }
    assert.deepEqual(classifyErrorCode(131050), { kind: 'fail', optOut: true });
    for (const code of [190, 0, 3, 10, 200, 299, 131048, 368, 131031, 131042]) assert.equal(classifyErrorCode(code).kind, 'pause', String(code));
  });

  it('backs off exponentially with jitter, tries 131000 three times, and waits 4^X seconds for the pair limit', () => {
    const action = classifyErrorCode(131000);
    assert.ok(action.kind === 'backoff' && action.maxAttempts === 3);
    const delays = [1, 2, 3, 4].map((attempt) => backoffDelayMs(transientFailure, attempt, () => 0.5));
    assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000]);
    assert.equal(backoffDelayMs(transientFailure, 1, () => 0), 750);
    assert.equal(backoffDelayMs(transientFailure, 1, () => 1), 1_250);
    assert.deepEqual([1, 2, 3].map(pairLimitDelayMs), [1_000, 4_000, 16_000]);
  });
});

describe('X-Hub-Signature-256', () => {
  const secret = 'app-secret';

  it('accepts the signature over the exact bytes, and refuses any other body, header or secret', () => {
    const raw = fixtureBytes('webhook-inbound-image.json');
    const header = webhookSignature(raw, secret);
    assert.ok(isValidSignature(raw, header, secret));
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
    assert.ok(!isValidSignature(reserialised, header, secret), 'a re-serialised body no longer matches');
    assert.ok(!isValidSignature(raw, header, 'other-secret'));
    assert.ok(!isValidSignature(raw, undefined, secret));
    assert.ok(!isValidSignature(raw, header.replace('sha256=', 'sha1='), secret));
    assert.ok(!isValidSignature(raw, 'sha256=zz', secret));
    assert.ok(!isValidSignature(raw, header, undefined), 'fails closed without a secret');
    assert.ok(!isValidSignature(raw, header, ''), 'fails closed with an empty secret');
  });

  it('also accepts a signature over the escaped-Unicode form of a body with non-ASCII characters', () => {
    const raw = Buffer.from('{"text":"Olá 👍"}', 'utf8');
    const escaped = '{"text":"Ol\\u00e1 \\ud83d\\udc4d"}';
    assert.ok(isValidSignature(raw, webhookSignature(escaped, secret), secret));
  });
});
