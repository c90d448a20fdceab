/**
 * Secrets stay secret: a real FlowChat at LOG_LEVEL=debug is driven through everything that
 * handles one (sign-in with right and wrong passwords, users and password changes, API keys,
 * outbound webhook secrets, Cloud API sends with the access token, signed and forged inbound
 * webhooks, the verify-token handshake, a second number's channel secrets and FLOWCHAT_SECRET_KEY,
 * the CLI), then every line it printed and every API answer
 * is searched for each secret. Only the one answer that hands a credential to its owner may hold it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inboundTextWebhookBody, startCloudApiStandIn, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { runCli } from '../support/processes.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { ADMIN_PASSWORD, apiAt, everythingPrinted, killAll, postWebhook, signIn, startFlowChat, waitFor, type Api } from './support/flowchat.js';
import { report } from './support/report.js';

const channelNumber = { phoneNumberId: '200000000000002', accessToken: 'EAAG-channel-token-Tt4-0123456789abcdef' };
const channelAppSecret = 'channel-app-secret-Aa1-0123456789abcdef';
const channelVerifyToken = 'channel-verify-token-Vv2-0123456789';
const secretKey = 'f'.repeat(20) + '0123456789abcdef0123456789abcdef0123456789abcdef';

describe('secrets in logs and answers', () => {
  let database: TestDatabase;
  let cloud: CloudApiStandIn;
  let receiver: Receiver;
  const secrets = new Map<string, string>();
  /** Every API answer body, minus the one that hands each credential to its owner. */
  const answers: string[] = [];
  let cliOutput = '';

  before(async () => {
    database = await openTestDatabase('server');
    cloud = await startCloudApiStandIn({ otherNumbers: [channelNumber] });
    receiver = await startReceiver();
  });

  after(async () => {
    await killAll();
    await receiver.close();
    await cloud.close();
    await database.close();
  });

  async function keep(api: Api, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const result = await api.call(method, path, body);
    answers.push(result.text);
    return result;
  }

  it('handles every kind of secret at LOG_LEVEL=debug', async () => {
    const server = await startFlowChat({ DATABASE_URL: database.url ?? '', ...cloud.env(), WHATSAPP_RATE_LIMIT: '50', LOG_LEVEL: 'debug', FLOWCHAT_SECRET_KEY: secretKey });
    secrets.set('FLOWCHAT_SECRET_KEY', secretKey);
    secrets.set('a channel access token', channelNumber.accessToken);
    secrets.set('a channel app secret', channelAppSecret);
    secrets.set('a channel verify token', channelVerifyToken);
    secrets.set('admin password', ADMIN_PASSWORD);
    secrets.set('WHATSAPP_ACCESS_TOKEN', cloud.accessToken);
    secrets.set('WHATSAPP_APP_SECRET', cloud.appSecret);
    secrets.set('WHATSAPP_VERIFY_TOKEN', cloud.verifyToken);

    const wrongPassword = 'wrong-password-Zq8x1-guess';
    secrets.set('a wrong password tried at sign-in', wrongPassword);
    const failed = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@faults.test', password: wrongPassword }) });
    answers.push(await failed.text());
    const admin = await signIn(server.url);
    secrets.set('admin session token', admin.token);

    const userPassword = 'new-user-password-Kp3-4711';
    const changedPassword = 'changed-password-Mm5-0815';
    secrets.set('a new user’s password', userPassword);
    secrets.set('a changed password', changedPassword);
    const user = await keep(admin, 'POST', '/api/v1/users', { email: 'secretive@faults.test', name: 'Secretive', role: 'agent', password: userPassword });
    const userId = (user.json as { id: string }).id;
    await keep(admin, 'PATCH', `/api/v1/users/${userId}`, { password: changedPassword });
    const agent = await signIn(server.url, 'secretive@faults.test', changedPassword);
    secrets.set('agent session token', agent.token);
    await keep(agent, 'GET', '/api/v1/auth/me');

    const created = await admin.call('POST', '/api/v1/api-keys', { name: 'integration' });
    const apiKey = (created.json as { key: string }).key;
    secrets.set('API key', apiKey);
    const integration = apiAt(server.url, apiKey);
    await keep(integration, 'GET', '/api/v1/contacts');
    await keep(admin, 'GET', '/api/v1/api-keys');

    const webhookSecret = 'webhook-secret-Hh7-abcdef0123456789';
    secrets.set('outbound webhook secret', webhookSecret);
    const hook = await admin.call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['message.created', 'contact.updated'], secret: webhookSecret });
    const hookId = (hook.json as { id: string }).id;
    await keep(admin, 'GET', '/api/v1/webhooks');
    await keep(admin, 'GET', `/api/v1/webhooks/${hookId}`);

    const channel = await keep(admin, 'POST', '/api/v1/channels', {
      name: 'Support', type: 'cloud_api', phone_number_id: channelNumber.phoneNumberId, access_token: channelNumber.accessToken, app_secret: channelAppSecret, verify_token: channelVerifyToken,
    });
    assert.equal(channel.status, 201);
    await keep(admin, 'GET', '/api/v1/channels');
    await keep(admin, 'PATCH', `/api/v1/channels/${(channel.json as { id: string }).id}`, { access_token: 'EAAG-wrong-token-not-accepted' });
    const channelHandshake = await fetch(`${server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=77&hub.verify_token=${encodeURIComponent(channelVerifyToken)}`);
    assert.equal(await channelHandshake.text(), '77');

    assert.equal(await postWebhook(server.url, inboundTextWebhookBody({ from: '14155551212', text: 'hello there', name: 'Customer' }), cloud.appSecret), 200);
    assert.equal(await postWebhook(server.url, inboundTextWebhookBody({ from: '14155551212', text: 'forged' }), 'not-the-app-secret'), 401);
    const handshake = await fetch(`${server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=4242&hub.verify_token=${encodeURIComponent(cloud.verifyToken)}`);
    assert.equal(await handshake.text(), '4242');
    const wrongHandshake = await fetch(`${server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=4242&hub.verify_token=guess`);
    answers.push(await wrongHandshake.text());

    const contacts = await waitFor('the inbound contact', async () => {
      const page = await keep(integration, 'GET', '/api/v1/contacts?q=4155551212');
      return (page.json as { items: Array<{ id: string }> }).items[0];
    }, 15_000, 200);
    const reply = await keep(agent, 'POST', `/api/v1/contacts/${contacts.id}/messages`, { type: 'text', content: 'Thanks, on its way' });
    assert.equal(reply.status, 202);
    await cloud.waitForSends(1, 15_000);
    await waitFor('a signed delivery to the outbound webhook', () => receiver.requests.length > 0, 15_000, 100);
    await keep(admin, 'GET', `/api/v1/webhooks/${hookId}/deliveries`);
    await keep(admin, 'GET', '/api/v1/users');
    await keep(admin, 'GET', '/api/v1/settings');
    await keep(admin, 'GET', '/api/v1/audit?limit=200');
    await keep(admin, 'GET', `/api/v1/contacts/${contacts.id}/messages`);
    await keep(agent, 'POST', '/api/v1/auth/logout');

    const cliPassword = 'cli-user-password-Qw9-2718';
    secrets.set('a password given to the CLI', cliPassword);
    const cli = await runCli(['user', 'create', '--email', 'cli@faults.test', '--name', 'CLI user', '--role', 'agent', '--password', cliPassword], {
      DATABASE_URL: database.url ?? '',
      LOG_LEVEL: 'debug',
    });
    assert.equal(cli.code, 0, cli.stderr);
    cliOutput = cli.stdout + cli.stderr;
    assert.equal(server.child.exitCode, null);
  });

  it('printed no secret, even at debug level', () => {
    const printed = `${everythingPrinted()}\n${cliOutput}`;
    assert.ok(printed.split('\n').length > 100, 'debug logging printed plenty');
    const leaked = [...secrets].filter(([, secret]) => printed.includes(secret)).map(([name]) => name);
    assert.deepEqual(leaked, [], 'secrets found in what FlowChat printed');
    assert.ok(!printed.includes('$argon2'), 'a password hash was printed');
    report('secrets in logs: passwords (right, wrong, new, changed, CLI), session tokens, API key, webhook secret, access token, app secret, verify token', 'none printed, at LOG_LEVEL=debug', `${printed.split('\n').length} lines scanned for ${secrets.size} secrets: none found, no password hash`);
  });

  it('answers with no secret beyond the one-time reveal to its owner', () => {
    const leaked = [...secrets].filter(([, secret]) => answers.some((answer) => answer.includes(secret))).map(([name]) => name);
    assert.deepEqual(leaked, [], 'secrets found in API answers');
    assert.ok(!answers.some((answer) => answer.includes('$argon2') || answer.includes('password_hash')), 'a password hash was returned');
    report('secrets in API answers (users, API keys, webhooks, deliveries, settings, audit, messages, errors)', 'none, except the login token and the key and secret shown once at creation', `${answers.length} answers scanned: no secret, no password hash`);
  });
});
