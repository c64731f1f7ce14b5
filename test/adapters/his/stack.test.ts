import { HisConfig } from '../../../bff/src/config/his';
import { SecurityConfig } from '../../../bff/src/config/security';
import type { StackCredentials, StackUrls } from '../../../scripts/stack/types';
import { HisSandboxConfig } from '../../../sandbox/his/config';
import { hisStack } from '../../../sandbox/his/stack';

const urls: StackUrls = { bff: 'http://127.0.0.1:8080', national: 'http://127.0.0.1:1', his: 'http://127.0.0.1:2', wechat: 'http://127.0.0.1:3', alipay: 'http://127.0.0.1:4' };

async function stack() {
  const his = await hisStack.makeCredentials();
  const creds = { his, national: {}, wechat: {}, alipay: {} } as StackCredentials;
  return { creds, sandbox: HisSandboxConfig.parse(hisStack.sandboxConfig(creds, urls)), bff: hisStack.bffConfig(creds, urls) };
}

describe('HIS stack module', () => {
  it('gives the BFF the credentials the sandbox accepts', async () => {
    const { sandbox, bff } = await stack();
    const his = HisConfig.parse(bff.his);
    expect(his.baseUrl).toBe(urls.his);
    expect(sandbox.clients).toEqual([{ clientId: his.clientId, secret: his.clientSecret }]);
  });

  it('lets the BFF verify the pushes the sandbox signs', async () => {
    const { sandbox, bff } = await stack();
    const security = SecurityConfig.pick({ hisClients: true }).parse(bff.security);
    expect(security.hisClients).toEqual([{ clientId: sandbox.push.clientId, secret: sandbox.push.secret }]);
    expect(sandbox.push).toMatchObject({ enabled: true, bffUrl: urls.bff });
  });

  it('makes fresh credentials for every stack', async () => {
    const [a, b] = [await hisStack.makeCredentials(), await hisStack.makeCredentials()];
    expect(a.clientSecret).not.toEqual(b.clientSecret);
    expect(a.hisClientSecret).not.toEqual(b.hisClientSecret);
  });
});
