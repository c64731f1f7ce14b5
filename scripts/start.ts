import path from 'node:path';
import fs from 'node:fs';
import { startStack } from './stack';
import { PERSONS } from '../sandbox/seed/persons';

/** `npm start`: the product with its sandbox peers, until Ctrl-C. Data stays in .run/sandbox. */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const h5 = path.join(root, 'client/dist/h5');
  const port = Number(process.env.PORT ?? 8080);
  const stack = await startStack({
    dir: path.join(root, '.run/sandbox'),
    bffPort: port,
    ...(fs.existsSync(path.join(h5, 'index.html')) ? { h5Dir: h5 } : {}),
  });
  const lines = [
    '',
    '医保移动支付2.0 — running with sandbox peers',
    `  H5 preview + BFF   ${stack.urls.bff}/?patient=zhang`,
    `                     (?patient= picks the sandbox person: ${PERSONS.slice(0, 8).map((p) => p.key).join(', ')}${PERSONS.length > 8 ? ', …' : ''};`,
    `                      without it the e-voucher authorization cannot be simulated)`,
    `  BFF API            ${stack.urls.bff}/api/config   (OpenAPI: ${stack.urls.bff}/openapi.json)`,
    `  staff console      ${stack.urls.bff}/staff/   user admin, password in ${path.join(stack.dir, 'staff-admin.password')}`,
    `  HIS sandbox        ${stack.urls.his}`,
    `  centre sandbox     ${stack.urls.national}`,
    `  WeChat sandbox     ${stack.urls.wechat}`,
    `  Alipay sandbox     ${stack.urls.alipay}`,
    `  Redis              ${stack.redis.url}`,
    `  logs               ${path.join(stack.dir, 'logs')}`,
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const stop = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`could not start: ${err.message}\n`);
  process.exit(1);
});
