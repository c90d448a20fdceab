import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/env.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `NAME=value` of every setting line of .env.example (they are all commented out). */
function exampleSettings(): Map<string, string> {
  const settings = new Map<string, string>();
  for (const line of readFileSync(join(root, '.env.example'), 'utf8').split('\n')) {
    const match = /^# ([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const [, name = '', value = ''] = match;
    assert.equal(settings.has(name), false, `${name} is set twice in .env.example`);
    settings.set(name, value);
  }
  return settings;
}

/** Every environment variable the server's code reads: `env.ts`'s helpers and `process.env`. */
function variablesRead(dir: string, found = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) variablesRead(path, found);
    else if (entry.name.endsWith('.ts')) {
      const source = readFileSync(path, 'utf8');
      for (const match of source.matchAll(/\(env, '([A-Z][A-Z0-9_]*)'|process\.env(?:\['|\.)([A-Z][A-Z0-9_]*)/g)) found.add(match[1] ?? match[2] ?? '');
    }
  }
  return found;
}

describe('.env.example', () => {
  it('names every variable FlowChat reads', () => {
    const read = variablesRead(join(root, 'src'));
    assert.ok(read.has('PORT') && read.has('WHATSAPP_ACCESS_TOKEN') && read.has('FLOWCHAT_PASSWORD'), 'the scan finds the variables');
    const missing = [...read].filter((name) => !exampleSettings().has(name));
    assert.deepEqual(missing, [], 'variables read by src/ but missing from .env.example');
  });

  it('names every variable of the contract\'s environment table', () => {
    const settings = exampleSettings();
    for (const name of ['PORT', 'HOST', 'DATABASE_URL', 'FLOWCHAT_DATA_DIR', 'FLOWCHAT_ADMIN_EMAIL', 'FLOWCHAT_ADMIN_PASSWORD',
      'FLOWCHAT_DEFAULT_COUNTRY', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_API_URL', 'WHATSAPP_APP_SECRET',
      'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_RATE_LIMIT', 'WHATSAPP_BUSINESS_ACCOUNT_ID', 'FLOWCHAT_MEDIA_DIR', 'FLOWCHAT_S3_BUCKET',
      'FLOWCHAT_S3_ENDPOINT', 'FLOWCHAT_S3_REGION', 'FLOWCHAT_S3_FORCE_PATH_STYLE', 'FLOWCHAT_SECRET_KEY']) {
      assert.ok(settings.has(name), `${name} is in .env.example`);
    }
  });

  it('shows the defaults: uncommenting every line changes nothing', () => {
    // The first admin's email defaults where the admin is created (bootstrap), not in the config.
    const { adminEmail, ...rest } = loadConfig(Object.fromEntries(exampleSettings()));
    const { adminEmail: unset, ...defaults } = loadConfig({});
    assert.deepEqual(rest, defaults);
    assert.equal(unset, undefined);
    assert.equal(adminEmail, 'admin@localhost');
  });
});
