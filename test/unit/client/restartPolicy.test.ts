import assert from 'node:assert/strict';
import { RestartPolicy } from '../../../client/src/restartPolicy';

describe('language server restart policy', () => {
  it('restarts up to 4 times within 3 minutes, then stops', () => {
    let now = 0;
    const policy = new RestartPolicy({ now: () => now });
    for (const [t, attempt] of [[0, 1], [10_000, 2], [20_000, 3], [30_000, 4]]) {
      now = t;
      assert.deepEqual(policy.onClosed(), { action: 'restart', attempt });
    }
    now = 40_000;
    assert.deepEqual(policy.onClosed(), { action: 'stop', crashes: 5 });
  });

  it('forgets restarts older than the window', () => {
    let now = 0;
    const policy = new RestartPolicy({ now: () => now });
    for (const t of [0, 10_000, 20_000, 30_000]) {
      now = t;
      policy.onClosed();
    }
    // The restart at 0 is 180 001 ms old: three remain in the window, so one more is allowed.
    now = 180_001;
    assert.deepEqual(policy.onClosed(), { action: 'restart', attempt: 4 });
    now = 180_002;
    assert.deepEqual(policy.onClosed(), { action: 'stop', crashes: 5 });
  });

  it('spaced-out crashes restart forever', () => {
    let now = 0;
    const policy = new RestartPolicy({ now: () => now });
    for (let i = 0; i < 20; i++) {
      now = i * 60_000;
      assert.equal(policy.onClosed().action, 'restart');
    }
  });

  it('a deliberate restart resets the count', () => {
    const policy = new RestartPolicy({ maxRestarts: 1, now: () => 5 });
    assert.equal(policy.onClosed().action, 'restart');
    assert.equal(policy.onClosed().action, 'stop');
    policy.reset();
    assert.equal(policy.onClosed().action, 'restart');
  });
});
