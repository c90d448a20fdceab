import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/env.js';
import { ConfigError } from '../../src/shared/errors.js';

describe('media configuration', () => {
  it('keeps media beside the data by default, in a bucket when one is named', () => {
    assert.equal(loadConfig({ FLOWCHAT_DATA_DIR: '/srv/flowchat/' }).media.dir, '/srv/flowchat/media');
    assert.equal(loadConfig({ FLOWCHAT_MEDIA_DIR: '/mnt/media' }).media.dir, '/mnt/media');
    assert.equal(loadConfig({}).media.s3, undefined);
    const s3 = loadConfig({ FLOWCHAT_S3_BUCKET: 'flowchat', FLOWCHAT_S3_ENDPOINT: 'http://127.0.0.1:9000', FLOWCHAT_S3_REGION: 'eu-west-1', FLOWCHAT_S3_FORCE_PATH_STYLE: 'true' }).media.s3;
    assert.deepEqual(s3, { bucket: 'flowchat', endpoint: 'http://127.0.0.1:9000', region: 'eu-west-1', forcePathStyle: true });
  });

  it('stops the start with a line naming a bad variable', () => {
    assert.throws(() => loadConfig({ FLOWCHAT_S3_BUCKET: 'b', FLOWCHAT_S3_ENDPOINT: 'not a url' }), (error: unknown) => error instanceof ConfigError && error.message.includes('FLOWCHAT_S3_ENDPOINT'));
    assert.throws(() => loadConfig({ FLOWCHAT_S3_FORCE_PATH_STYLE: 'maybe' }), (error: unknown) => error instanceof ConfigError && error.message.includes('FLOWCHAT_S3_FORCE_PATH_STYLE'));
    assert.throws(() => loadConfig({ FLOWCHAT_MEDIA_RETRY_WINDOW_SECONDS: 'soon' }), (error: unknown) => error instanceof ConfigError && error.message.includes('FLOWCHAT_MEDIA_RETRY_WINDOW_SECONDS'));
  });
});
