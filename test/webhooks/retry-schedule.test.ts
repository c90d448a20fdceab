import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/env.js';
import { retryDelayMs } from '../../src/outbound-webhooks/retry-schedule.js';

const contract = { baseMs: 2_000, maxMs: 600_000 };

describe('webhook retry schedule', () => {
  it('waits the base, then about twice the wait before, capped', () => {
    const middle = () => 0.5;
    assert.deepEqual([1, 2, 3, 4, 5].map((failures) => retryDelayMs(failures, contract, middle)), [2_000, 4_000, 8_000, 16_000, 32_000]);
    assert.equal(retryDelayMs(9, contract, middle), 512_000);
    assert.equal(retryDelayMs(10, contract, middle), 600_000);
    assert.equal(retryDelayMs(500, contract, middle), 600_000);
  });

  it('jitters by at most 20 % and never past the cap', () => {
    for (const failures of [1, 2, 5, 9, 10, 40]) {
      const nominal = Math.min(2_000 * 2 ** (failures - 1), 600_000);
      const low = retryDelayMs(failures, contract, () => 0);
      const high = retryDelayMs(failures, contract, () => 0.999_999);
      assert.equal(low, Math.round(nominal * 0.8));
      assert.ok(high <= Math.min(Math.ceil(nominal * 1.2), 600_000), `${high} ms after failure ${failures}`);
      assert.ok(high >= Math.min(nominal * 1.19, 600_000), `${high} ms after failure ${failures}`);
    }
  });

  it('with the default configuration: the first retry 1 to 5 s after the failure, and over a day of retries before giving up', () => {
    const config = loadConfig({});
    const schedule = { baseMs: config.webhooks.retryBaseMs, maxMs: config.webhooks.retryMaxMs };
    for (const random of [0, 0.5, 0.999]) {
      const first = retryDelayMs(1, schedule, () => random);
      assert.ok(first >= 1_000 && first <= 5_000, `first retry after ${first} ms`);
    }
    assert.equal(config.webhooks.retryWindowSeconds, 86_400);
    assert.equal(config.webhooks.timeoutMs, 10_000);
    assert.equal(config.webhooks.retryMaxMs, 600_000);
  });

  it('refuses settings outside the contract', () => {
    assert.throws(() => loadConfig({ FLOWCHAT_WEBHOOK_TIMEOUT_MS: '30000' }), /FLOWCHAT_WEBHOOK_TIMEOUT_MS/);
    assert.throws(() => loadConfig({ FLOWCHAT_WEBHOOK_RETRY_MAX_MS: '3600000' }), /FLOWCHAT_WEBHOOK_RETRY_MAX_MS/);
    assert.throws(() => loadConfig({ FLOWCHAT_WEBHOOK_RETRY_BASE_MS: 'soon' }), /FLOWCHAT_WEBHOOK_RETRY_BASE_MS/);
  });
});
