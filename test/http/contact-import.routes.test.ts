import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { postContact } from '../support/contacts-api.js';
import { forEachEngine } from '../support/databases.js';
import { suiteApp, type SuiteApp } from '../support/suite-app.js';

interface ImportAnswer {
  created: number;
  updated: number;
  errors: Array<{ line: number; message: string }>;
  error_count: number;
}

async function importCsv(t: SuiteApp, token: string, csv: string | Buffer | Readable, contentType = 'text/csv') {
  return t.app.inject({ method: 'POST', url: '/api/v1/contacts/import', headers: { ...bearer(token), 'content-type': contentType }, payload: csv });
}

async function contactByPhone(t: SuiteApp, phone: string) {
  return t.ctx.db.selectFrom('contacts').select(['name', 'email', 'tags', 'metadata']).where('phone', '=', phone).executeTakeFirst();
}

forEachEngine('contact import route', (suite) => {
  const t = suiteApp(suite);

  it('needs a session or key (anonymous 401); agents may import', async () => {
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/contacts/import', headers: { 'content-type': 'text/csv' }, payload: 'phone\n+14155550001\n' });
    assert.equal(anonymous.statusCode, 401);
    const { token } = await signedInUser(t.ctx, 'agent');
    const response = await importCsv(t, token, 'phone\n+14155550001\n');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { created: 1, updated: 0, errors: [], error_count: 0 });
  });

  it('reads a BOM, CRLF, quoted commas and quotes, multi-line cells, blank lines and short rows; other columns go to metadata', async () => {
    const { token, user } = await signedInUser(t.ctx, 'agent');
    const csv = [
      '\ufeffPhone,Name,EMAIL,tags,City,Plan',
      '+14155550101,"Doe, Jane",jane@example.com,VIP; lead ;vip,Recife,"gold ""plus"""',
      '',
      '+14155550102,"Line one',
      'line two",,,,',
      '+14155550103,Short',
      '   ',
      '+14155550104,,,,,',
      '',
    ].join('\r\n');
    const response = await importCsv(t, token, Buffer.from(csv));
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { created: 4, updated: 0, errors: [], error_count: 0 });
    assert.deepEqual(await contactByPhone(t, '+14155550101'), {
      name: 'Doe, Jane',
      email: 'jane@example.com',
      tags: ['vip', 'lead'],
      metadata: { City: 'Recife', Plan: 'gold "plus"' },
    });
    assert.deepEqual(await contactByPhone(t, '+14155550102'), { name: 'Line one\nline two', email: null, tags: [], metadata: {} });
    assert.deepEqual(await contactByPhone(t, '+14155550103'), { name: 'Short', email: null, tags: [], metadata: {} });
    assert.deepEqual(await contactByPhone(t, '+14155550104'), { name: null, email: null, tags: [], metadata: {} });
    const audit = await t.ctx.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'contacts.imported').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, user.id);
    assert.deepEqual(audit.details, { created: 4, updated: 0, errors: 0 });
  });

  it('merges a phone repeated within one file: the first row creates, later rows update', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const csv = [
      'phone,name,email,tags,source',
      '+14155550201,First,first@example.com,a,web',
      '+1 415 555 0201,,,b,',
      '+14155550202,Other,,,',
      '(415) 555-0201,Last,,a;c,fair',
    ].join('\n');
    const response = await importCsv(t, token, csv);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().errors, [{ line: 5, message: 'The phone number "(415) 555-0201" cannot be parsed (write it with + and the country code)' }]);
    assert.equal(response.json().created, 2);
    assert.equal(response.json().updated, 1);
    assert.deepEqual(await contactByPhone(t, '+14155550201'), { name: 'First', email: 'first@example.com', tags: ['a', 'b'], metadata: { source: 'web' } });
  });

  it('updates existing contacts: given name and email replace, tags are added, metadata merges, empty cells change nothing', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    await postContact(t, token, { phone: '+14155550301', name: 'Old', email: 'old@example.com', tags: ['keep'], metadata: { a: 1, city: 'Rio' } });
    const csv = 'phone,name,email,tags,city,plan\n+14155550301,New,,Added;KEEP,Recife,\n+14155550302,Fresh,,,,\n';
    const response = await importCsv(t, token, csv);
    assert.deepEqual(response.json(), { created: 1, updated: 1, errors: [], error_count: 0 });
    assert.deepEqual(await contactByPhone(t, '+14155550301'), { name: 'New', email: 'old@example.com', tags: ['keep', 'added'], metadata: { a: 1, city: 'Recife' } });
  });

  it('reports each bad row with the line it starts on, and lands the good ones', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const manyTags = Array.from({ length: 51 }, (_, index) => `t${index}`).join(';');
    const csv = [
      'phone,name,email,tags', // 1
      '+14155550401,Good one,,', // 2
      'not a phone,Bad,,', // 3
      ',No phone,,', // 4
      '+14155550402,Bad email,nope,', // 5
      '+14155550403,"Multi', // 6
      'line",,', // 7
      '+14155550404,Too many tags,,' + manyTags, // 8
      `+14155550405,Long tag,,${'x'.repeat(65)}`, // 9
      '+14155550406,Extra,,,surprise', // 10
      '+14155550407,Good two,,', // 11
      '+14155550408,"never closed,,', // 12
      '+14155550409,swallowed,,', // 13
    ].join('\n');
    const response = await importCsv(t, token, csv);
    assert.equal(response.statusCode, 200);
    const body: ImportAnswer = response.json();
    assert.deepEqual(body.errors.map((error) => error.line), [3, 4, 5, 8, 9, 10, 12]);
    assert.equal(body.error_count, 7);
    assert.match(body.errors[0]?.message ?? '', /cannot be parsed/);
    assert.match(body.errors[1]?.message ?? '', /phone is missing/);
    assert.match(body.errors[2]?.message ?? '', /email/);
    assert.match(body.errors[3]?.message ?? '', /at most 50 tags/);
    assert.match(body.errors[4]?.message ?? '', /more than 64 characters/);
    assert.match(body.errors[5]?.message ?? '', /cells/);
    assert.match(body.errors[6]?.message ?? '', /never closed/);
    assert.equal(body.created, 3);
    for (const phone of ['+14155550401', '+14155550403', '+14155550407']) assert.ok(await contactByPhone(t, phone), phone);
    for (const phone of ['+14155550402', '+14155550404', '+14155550405', '+14155550406']) assert.equal(await contactByPhone(t, phone), undefined, phone);
  });

  it('refuses an update that would pass the tag limit, leaving the contact as it was', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const tags = Array.from({ length: 50 }, (_, index) => `full${index}`);
    await postContact(t, token, { phone: '+14155550501', name: 'Full', tags });
    const refused = await importCsv(t, token, 'phone,name,tags\n+14155550501,Renamed,one-more\n');
    assert.deepEqual(refused.json().errors.map((error: { line: number }) => error.line), [2]);
    assert.equal(refused.json().updated, 0);
    assert.equal((await contactByPhone(t, '+14155550501'))?.name, 'Full', 'nothing of the refused row was written');
    const adding = await importCsv(t, token, 'phone,name,tags\n+14155550501,Renamed,full1\n');
    assert.equal(adding.json().updated, 1, 'a row adding no new tag still applies');
    assert.deepEqual((await contactByPhone(t, '+14155550501'))?.tags, tags);
  });

  it('refuses a file it cannot import as a whole: no phone column, empty, a repeated column, not CSV', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    for (const csv of ['name,email\nAna,ana@example.com\n', '', '\n\n', 'phone,Phone\n+14155550601,+14155550602\n']) {
      const response = await importCsv(t, token, csv);
      assert.equal(response.statusCode, 400, JSON.stringify(csv));
      assert.equal(response.json().error.code, 'invalid_csv');
    }
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/contacts/import', headers: bearer(token), payload: { phone: '+14155550603' } });
    assert.equal(json.statusCode, 415);
    assert.equal(json.json().error.code, 'unsupported_media_type');
    assert.equal(await contactByPhone(t, '+14155550601'), undefined);
  });

  it('imports a 100 000-row file in a few seconds', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const rows = ['phone,name,email,tags,city'];
    for (let index = 0; index < 100_000; index++) {
      rows.push(`+1628${String(1_000_000 + index)},Contact ${index},c${index}@example.com,bulk;batch${index % 7},City ${index % 50}`);
    }
    const csv = Buffer.from(rows.join('\n'));
    const started = Date.now();
    const response = await importCsv(t, token, Readable.from([csv.subarray(0, csv.length >> 1), csv.subarray(csv.length >> 1)]));
    const seconds = (Date.now() - started) / 1000;
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { created: 100_000, updated: 0, errors: [], error_count: 0 });
    // A few seconds on an idle machine; the bound is loose so a busy CI host does not fail it, but
    // anything quadratic (a round trip or a rescan per row) would blow far past it.
    assert.ok(seconds < 90, `took ${seconds.toFixed(1)} s`);
    const count = await t.ctx.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('phone', 'like', '+1628%').executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 100_000);
  });
});

forEachEngine('contact import route with a small size limit', (suite) => {
  const t = suiteApp(suite, { FLOWCHAT_IMPORT_MAX_BYTES: '2048' });

  it('answers 413 above the limit, by Content-Length or while streaming', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const rows = ['phone,name'];
    for (let index = 0; index < 200; index++) rows.push(`+1628${String(2_000_000 + index)},Name ${index}`);
    const csv = rows.join('\n');
    const declared = await importCsv(t, token, csv);
    assert.equal(declared.statusCode, 413);
    assert.equal(declared.json().error.code, 'payload_too_large');
    const streamed = await importCsv(t, token, Readable.from([Buffer.from(csv)]));
    assert.equal(streamed.statusCode, 413);
    assert.equal(streamed.json().error.code, 'payload_too_large');
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/contacts/import', headers: { 'content-type': 'text/csv' }, payload: csv });
    assert.equal(anonymous.statusCode, 401, 'turned away before the upload is read');
    const small = await importCsv(t, token, 'phone\n+16282999999\n');
    assert.equal(small.statusCode, 200);
  });
});
