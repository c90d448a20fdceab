/**
 * The apps of a media suite: each test starts what it needs (workers running, the suite's own
 * media folder, a signed-in admin), and every app a test started is closed after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before } from 'node:test';
import { signedInUser, startTestApp, type TestApp } from '../../support/app.js';
import type { EngineSuite } from '../../support/databases.js';

export interface MediaApp extends TestApp {
  readonly token: string;
}

export interface MediaApps {
  /** The media folder (set before the first test). */
  readonly dir: string;
  start(env?: Record<string, string>): Promise<MediaApp>;
  /** Closes an app before the test ends (a crash or a restart). */
  stop(app: TestApp): Promise<void>;
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
      return Object.assign(started, { token });
    },
    async stop(app) {
      running.splice(running.indexOf(app), 1);
      await app.close();
    },
  };
}
