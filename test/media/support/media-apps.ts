/**
 * The apps of a media suite: each test starts what it needs (workers running, the suite's own
 * media folder, a signed-in admin), and every app a test started is closed after it.
 * `mediaAppsWithMeta` also runs a Meta stand-in for the whole suite, which the apps talk to.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, signedInUser, startTestApp, type TestApp } from '../../support/app.js';
import type { EngineSuite } from '../../support/databases.js';
import { uploadMedia } from './media-client.js';
import { startMetaMediaStandIn, type MetaMediaStandIn } from './meta-media-stand-in.js';

/** A file as `POST /api/v1/media` answers it. */
export interface UploadedMedia {
  readonly id: string;
  readonly kind: string;
  readonly sha256: string;
}

export interface MediaApp extends TestApp {
  readonly token: string;
  /** Uploads each `[bytes, filename]` as the signed-in admin; asserts each 201. */
  upload<const Files extends ReadonlyArray<readonly [Buffer, string]>>(...files: Files): Promise<{ -readonly [K in keyof Files]: UploadedMedia }>;
  /** `POST /api/v1/contacts/{contactId}/messages` as the signed-in admin. */
  send(contactId: string, payload: Record<string, unknown>): Promise<LightMyRequestResponse>;
}

export interface MediaApps {
  /** The media folder (set before the first test). */
  readonly dir: string;
  start(env?: Record<string, string>): Promise<MediaApp>;
  /** Closes an app before the test ends (a crash or a restart). */
  stop(app: TestApp): Promise<void>;
}

export interface MetaMediaApps extends MediaApps {
  /** The suite's Meta stand-in (started before the first test). */
  readonly meta: MetaMediaStandIn;
}

export function mediaApps(suite: EngineSuite, baseEnv: () => Record<string, string> = () => ({})): MediaApps {
  let dir = '';
  const running: TestApp[] = [];
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'flowchat-media-suite-'));
  });
  afterEach(async () => {
    while (running.length > 0) await running.pop()?.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    async start(env = {}) {
      const started = await startTestApp(suite.database, { FLOWCHAT_MEDIA_DIR: dir, FLOWCHAT_MEDIA_POLL_MS: '50', ...baseEnv(), ...env }, true);
      running.push(started);
      const { token } = await signedInUser(started.ctx);
      return Object.assign(started, {
        token,
        async upload<const Files extends ReadonlyArray<readonly [Buffer, string]>>(...files: Files) {
          const uploaded: UploadedMedia[] = [];
          for (const [bytes, filename] of files) {
            const response = await uploadMedia(started.app, token, bytes, filename);
            assert.equal(response.statusCode, 201, response.body);
            uploaded.push(response.json());
          }
          return uploaded as { -readonly [K in keyof Files]: UploadedMedia };
        },
        send: (contactId: string, payload: Record<string, unknown>) =>
          started.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/messages`, headers: bearer(token), payload }),
      });
    },
    async stop(app) {
      running.splice(running.indexOf(app), 1);
      await app.close();
    },
  };
}

export function mediaAppsWithMeta(suite: EngineSuite, baseEnv: Record<string, string> = {}): MetaMediaApps {
  let meta: MetaMediaStandIn | undefined;
  before(async () => {
    meta = await startMetaMediaStandIn();
  });
  after(async () => {
    await meta?.close();
  });
  const current = (): MetaMediaStandIn => {
    if (!meta) throw new Error('The Meta stand-in is not started yet');
    return meta;
  };
  const apps = mediaApps(suite, () => ({ ...current().env(), ...baseEnv }));
  return {
    get dir() {
      return apps.dir;
    },
    start: (env) => apps.start(env),
    stop: (app) => apps.stop(app),
    get meta() {
      return current();
    },
  };
}
