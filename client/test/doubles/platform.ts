/** The platform module for component tests: every capability is a jest.fn with a happy default. */
import type { Platform } from '../../src/platform';

function defaults(): Platform {
  return {
    apiBase: () => '',
    payChannelName: () => '微信支付',
    identityKey: () => 'test',
    login: async () => ({ channel: 'wechat', code: 'test-login-code' }),
    getInsuranceAuthCode: async () => ({ authCode: 'AUTHCODE-1' }),
    resumeInsuranceAuth: () => null,
    openAuthUrl: async () => undefined,
    requestSubscribe: async () => undefined,
    pay: async () => ({ outcome: 'ok' }),
    onAppShow: () => undefined,
  };
}

const double = {} as { [K in keyof Platform]: jest.Mock };

export function resetPlatformDouble(): void {
  const d = defaults() as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const k of Object.keys(d)) (double as Record<string, jest.Mock>)[k] = jest.fn(d[k]);
}
resetPlatformDouble();

// a stable object whose members are swapped by resetPlatformDouble()
const platform = new Proxy({} as Platform, {
  get: (_t, name: string) => (double as Record<string, jest.Mock>)[name],
});

export const platformDouble = double;
export default platform;
