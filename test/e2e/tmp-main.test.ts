import path from 'node:path';
import { service } from '../../scripts/stack/service';
import { freePort } from '../../scripts/stack/ports';
import { WechatPatient } from '../support/patient';
import { testStack } from '../support/stack';
it('process with extras', async () => {
  const stack = await testStack();
  const port = await freePort();
  const svc = service({ name: 'bff-x', entry: 'test/support/staff-main-tmp.ts', port, env: { MIP_CONFIG: stack.bffConfigFile, INSTANCE_ID: 'bff-x' }, logDir: path.join(stack.dir, 'logs') });
  await svc.start();
  try {
    const p = await new WechatPatient(stack, 'zhang', svc.url).login();
    await p.onboard();
    const orderNo = await p.payOutpatient();
    await p.waitForState(orderNo, ['completed'], 30000);
    const m = await (await fetch(`${svc.url}/metrics`)).text();
    console.log(m.split('\n').filter((l) => /mip_peer_calls_total|mip_orders\{state="completed"|mip_http_requests_total\{method="POST"/.test(l)).join('\n'));
    console.log((await (await fetch(`${svc.url}/health`)).text()).slice(0, 400));
    console.log((await fetch(`${svc.url}/staff/`)).status);
  } finally {
    await svc.stop();
    await stack.cleanup();
  }
}, 120000);
