import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { ENV_CHANNEL_ID } from '../../src/channels/environment-channel.js';
import { compose } from '../../src/compose.js';
import { silentLogger } from '../../src/shared/logger.js';
import { bearer, signedInUser, startTestApp, testConfig, type TestApp } from '../support/app.js';
import { startCloudApiStandIn, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { addChannel, secondNumber } from './support.js';

const secretKey = randomBytes(32).toString('hex');

forEachEngine('channels API', (suite) => {
  let envCloud: CloudApiStandIn;
  const second = secondNumber();
  let t: TestApp;
  let admin: string;

  before(async () => {
    envCloud = await startCloudApiStandIn({ otherNumbers: [second] });
    t = await startTestApp(suite.database, { ...envCloud.env(), FLOWCHAT_SECRET_KEY: secretKey });
    ({ token: admin } = await signedInUser(t.ctx, 'admin'));
  });
  after(async () => {
    await t.close();
    await envCloud.close();
  });

  it('lists the environment channel as source env, read-only', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/channels', headers: bearer(admin) });
    assert.equal(list.statusCode, 200);
    const [env] = list.json().items;
    assert.equal(env.id, ENV_CHANNEL_ID);
    assert.equal(env.source, 'env');
    assert.equal(env.type, 'cloud_api');
    assert.equal(env.phone_number_id, envCloud.phoneNumberId);
    assert.equal(env.has_access_token, true);
    assert.equal(env.rate_limit, 80);
    for (const request of [
      { method: 'PATCH' as const, payload: { name: 'Renamed' } },
      { method: 'DELETE' as const },
    ]) {
      const refused = await t.app.inject({ ...request, url: `/api/v1/channels/${ENV_CHANNEL_ID}`, headers: bearer(admin) });
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().error.code, 'channel_read_only');
    }
    const { token: agent } = await signedInUser(t.ctx, 'agent');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/channels', headers: bearer(agent) })).statusCode, 403);
  });

  it('needs FLOWCHAT_SECRET_KEY with DATABASE_URL before it stores a channel (422 secret_key_missing)', async () => {
    const keyless = await startTestApp(suite.database, { ...envCloud.env(), DATABASE_URL: 'postgres://flowchat@db.invalid/flowchat' });
    try {
      const { token } = await signedInUser(keyless.ctx, 'admin');
      const response = await keyless.app.inject({
        method: 'POST',
        url: '/api/v1/channels',
        headers: bearer(token),
        payload: { name: 'Support', type: 'cloud_api', phone_number_id: second.phoneNumberId, access_token: second.accessToken, app_secret: second.appSecret, verify_token: second.verifyToken },
      });
      assert.equal(response.statusCode, 422);
      assert.equal(response.json().error.code, 'secret_key_missing');
      assert.equal(await keyless.ctx.db.selectFrom('channels').select('id').where('source', '=', 'api').executeTakeFirst(), undefined);
    } finally {
      await keyless.close();
    }
  });

  it('adds a number once Meta accepts its token, keeps its secrets encrypted and never shows them', async () => {
    const channel = await addChannel(t.app, admin, second, { name: 'Support', rate_limit: 20 });
    assert.equal(channel.source, 'api');
    assert.equal(channel.status, 'active');
    assert.equal(channel.display_phone_number, '+1 555-000-0002', 'the number Meta answered the check with');
    assert.equal(channel.has_access_token, true);
    assert.equal(channel.rate_limit, 20);
    const check = envCloud.requests.find((request) => request.method === 'GET');
    assert.ok(check, 'the token was checked against the Cloud API');
    assert.match(check.path, /\?fields=display_phone_number,verified_name$/);
    assert.equal(check.headers.authorization, `Bearer ${second.accessToken}`);

    const secrets = [second.accessToken, second.appSecret, second.verifyToken];
    const answers = [
      JSON.stringify(channel),
      (await t.app.inject({ method: 'GET', url: '/api/v1/channels', headers: bearer(admin) })).payload,
      (await t.app.inject({ method: 'GET', url: `/api/v1/channels/${channel.id}`, headers: bearer(admin) })).payload,
    ];
    const row = await t.ctx.db.selectFrom('channels').selectAll().where('id', '=', channel.id).executeTakeFirstOrThrow();
    for (const secret of secrets) {
      for (const answer of answers) assert.ok(!answer.includes(secret), 'no answer carries a secret');
      assert.ok(!JSON.stringify(row).includes(secret), 'the row holds no secret in plain text');
    }
    assert.match(row.access_token_ciphertext ?? '', /^v1\./);
    assert.match(row.app_secret_ciphertext ?? '', /^v1\./);
    assert.match(row.verify_token_ciphertext ?? '', /^v1\./);
    assert.equal(t.ctx.channels.credentials(channel.id)?.accessToken, second.accessToken, 'the directory decrypts them for sending');
  });

  it('refuses a token Meta rejects with 422 channel_unreachable, and stores nothing', async () => {
    const before = await t.ctx.db.selectFrom('channels').select('id').execute();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: bearer(admin),
      payload: { name: 'Sales', type: 'cloud_api', phone_number_id: '300000000000003', access_token: 'EAAG-expired', app_secret: 'x', verify_token: 'y' },
    });
    assert.equal(response.statusCode, 422);
    assert.equal(response.json().error.code, 'channel_unreachable');
    assert.ok(!response.payload.includes('EAAG-expired'));
    assert.equal((await t.ctx.db.selectFrom('channels').select('id').execute()).length, before.length);
  });

  it('answers 409 to a second channel with the same phone_number_id, also the environment number', async () => {
    for (const number of [second.phoneNumberId, envCloud.phoneNumberId]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/channels',
        headers: bearer(admin),
        payload: { name: 'Again', type: 'cloud_api', phone_number_id: number, access_token: second.accessToken, app_secret: 'a', verify_token: 'b' },
      });
      assert.equal(response.statusCode, 409, number);
      assert.equal(response.json().error.code, 'duplicate_channel');
    }
  });

  it('keeps the secrets across a restart, and refuses to start without the key (DATABASE_URL) or with another one', async () => {
    const restarted = await startTestApp(suite.database, { ...envCloud.env(), FLOWCHAT_SECRET_KEY: secretKey });
    try {
      const channel = restarted.ctx.channels.live().find((entry) => entry.phoneNumberId === second.phoneNumberId);
      assert.ok(channel);
      assert.equal(restarted.ctx.channels.credentials(channel.id)?.accessToken, second.accessToken);
    } finally {
      await restarted.close();
    }
    const server = { ...envCloud.env(), DATABASE_URL: 'postgres://flowchat@db.invalid/flowchat' };
    await assert.rejects(compose(testConfig(server), silentLogger(), suite.database), /FLOWCHAT_SECRET_KEY is required with DATABASE_URL/);
    await assert.rejects(compose(testConfig({ ...server, FLOWCHAT_SECRET_KEY: randomBytes(32).toString('hex') }), silentLogger(), suite.database), /FLOWCHAT_SECRET_KEY does not open/);
  });

  it('adds a sandbox number without Meta: nothing to check, no secrets', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/channels', headers: bearer(admin), payload: { name: 'Demo', type: 'sandbox', phone_number_id: 'demo-1' } });
    assert.equal(response.statusCode, 201, response.payload);
    assert.equal(response.json().type, 'sandbox');
    assert.equal(response.json().has_access_token, false);
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/channels', headers: bearer(admin), payload: { name: 'No token', type: 'cloud_api', phone_number_id: '400000000000004' } });
    assert.equal(missing.statusCode, 400);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/channels/${response.json().id}`, headers: bearer(admin) });
  });

  it('changes a channel (a new token is checked first) and sets its members', async () => {
    const channel = t.ctx.channels.live().find((entry) => entry.phoneNumberId === second.phoneNumberId);
    assert.ok(channel);
    const refused = await t.app.inject({ method: 'PATCH', url: `/api/v1/channels/${channel.id}`, headers: bearer(admin), payload: { access_token: 'EAAG-wrong' } });
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().error.code, 'channel_unreachable');
    const renamed = await t.app.inject({ method: 'PATCH', url: `/api/v1/channels/${channel.id}`, headers: bearer(admin), payload: { name: 'Customer care', rate_limit: null } });
    assert.equal(renamed.statusCode, 200);
    assert.equal(renamed.json().name, 'Customer care');
    assert.equal(renamed.json().rate_limit, 80);

    const { user: agent } = await signedInUser(t.ctx, 'agent');
    const members = await t.app.inject({ method: 'PUT', url: `/api/v1/channels/${channel.id}/members`, headers: bearer(admin), payload: { user_ids: [agent.id] } });
    assert.equal(members.statusCode, 200);
    assert.deepEqual(members.json(), { user_ids: [agent.id] });
    const unknown = await t.app.inject({ method: 'PUT', url: `/api/v1/channels/${channel.id}/members`, headers: bearer(admin), payload: { user_ids: ['00000000-0000-4000-8000-0000000000ff'] } });
    assert.equal(unknown.statusCode, 404);
    const shown = await t.app.inject({ method: 'GET', url: `/api/v1/channels/${channel.id}`, headers: bearer(admin) });
    assert.deepEqual(shown.json().member_ids, [agent.id]);
  });
});
