#!/usr/bin/env node
/**
 * node scripts/build.js weapp [alipay] [h5]
 * One-shot production builds, one after the other (each takes 0.5–0.8 GB). The noisy Taro logs go
 * to dist/<type>.log; on failure the tail of the log is printed and the exit code is non-zero.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const entry = { weapp: 'app.js', alipay: 'app.js', h5: 'index.html' };
const types = process.argv.slice(2);
if (types.length === 0 || types.some((t) => !entry[t])) {
  console.error('usage: node scripts/build.js weapp|alipay|h5 ...');
  process.exit(2);
}
const taro = require.resolve('@tarojs/cli/bin/taro', { paths: [root] });
fs.mkdirSync(dist, { recursive: true });

for (const type of types) {
  const logFile = path.join(dist, `${type}.log`);
  const started = Date.now();
  process.stdout.write(`taro build --type ${type} … `);
  const fd = fs.openSync(logFile, 'w');
  const r = spawnSync(process.execPath, [taro, 'build', '--type', type], {
    cwd: root,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', CI: 'true' },
  });
  fs.closeSync(fd);
  const out = path.join(dist, type, entry[type]);
  const log = fs.readFileSync(logFile, 'utf8');
  const failed = r.status !== 0 || !fs.existsSync(out) || /Failed to compile|编译失败|ERROR in /.test(log);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (failed) {
    console.log(`FAILED after ${secs}s (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}); log: ${path.relative(process.cwd(), logFile)}`);
    console.log(log.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split('\n').slice(-60).join('\n'));
    process.exit(1);
  }
  console.log(`ok in ${secs}s → dist/${type}`);
}
