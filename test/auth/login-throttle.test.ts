import { describe, expect, it } from '@jest/globals';
import {
  decideLogin,
  LOGIN_THROTTLE,
  pairDelaySeconds,
  waitInWords,
} from '../../src/auth/login-throttle.js';

const NOW = new Date('2025-03-01T08:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const quiet = {
  now: NOW,
  pairFailures: 0,
  lastPairFailureAt: null,
  addressFailures: 0,
  oldestAddressFailureAt: null,
};

describe('sign-in throttle (pure)', () => {
  it('allows five failures free, then waits 1, 2, 4 … minutes, never more than an hour', () => {
    expect([0, 1, 4].map(pairDelaySeconds)).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 11, 12, 50].map(pairDelaySeconds)).toEqual([
      60, 120, 240, 480, 960, 1920, 3600, 3600, 3600,
    ]);
  });

  it('refuses an account and address until the wait after its last failure is over', () => {
    expect(decideLogin({ ...quiet, pairFailures: 4, lastPairFailureAt: ago(1) })).toEqual({
      allowed: true,
    });
    expect(decideLogin({ ...quiet, pairFailures: 5, lastPairFailureAt: ago(20) })).toEqual({
      allowed: false,
      reason: 'account_address_delay',
      retryAfterSeconds: 40,
    });
    expect(decideLogin({ ...quiet, pairFailures: 5, lastPairFailureAt: ago(60) })).toEqual({
      allowed: true,
    });
    expect(decideLogin({ ...quiet, pairFailures: 7, lastPairFailureAt: ago(200) })).toEqual({
      allowed: false,
      reason: 'account_address_delay',
      retryAfterSeconds: 40,
    });
  });

  it('refuses an address past its ceiling until its oldest failure leaves the window', () => {
    const full = {
      ...quiet,
      addressFailures: LOGIN_THROTTLE.addressMaxFailures,
      oldestAddressFailureAt: ago(LOGIN_THROTTLE.addressWindowSeconds - 90),
    };
    expect(decideLogin(full)).toEqual({
      allowed: false,
      reason: 'address_ceiling',
      retryAfterSeconds: 90,
    });
    expect(decideLogin({ ...full, addressFailures: full.addressFailures - 1 })).toEqual({
      allowed: true,
    });
  });

  it('answers with the longer wait when both apply', () => {
    expect(
      decideLogin({
        now: NOW,
        pairFailures: 11,
        lastPairFailureAt: ago(100),
        addressFailures: LOGIN_THROTTLE.addressMaxFailures,
        oldestAddressFailureAt: ago(LOGIN_THROTTLE.addressWindowSeconds - 90),
      }),
    ).toEqual({ allowed: false, reason: 'account_address_delay', retryAfterSeconds: 3500 });
  });

  it('says the wait in Chinese', () => {
    expect([1, 59, 60, 61, 3599, 3600].map(waitInWords)).toEqual([
      '1 秒',
      '59 秒',
      '1 分钟',
      '2 分钟',
      '1 小时',
      '1 小时',
    ]);
  });
});
