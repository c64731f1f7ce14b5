import fs from 'node:fs';
import { listen } from '../common/server';
import { createWechatSandbox } from './app';

/** SANDBOX_CONFIG = path of the JSON written by sandbox/wechat/stack.ts; PORT = where to listen. */
async function main(): Promise<void> {
  const file = process.env.SANDBOX_CONFIG;
  if (!file) throw new Error('SANDBOX_CONFIG is not set');
  const sandbox = createWechatSandbox(JSON.parse(fs.readFileSync(file, 'utf8')));
  const server = await listen(sandbox.app, 'wechat', Number(process.env.PORT ?? 0));
  server.on('close', () => sandbox.close());
}

main().catch((err: Error) => {
  process.stderr.write(`wechat sandbox: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
