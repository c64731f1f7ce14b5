import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { generateKeyPair, publicKeyFromPrivate } from '../src/crypto/sm2';
import { seal } from '../src/national/envelope';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'bff/cli/envelope.ts');
const appId = '0F0822652EB7CB91A644E638FBE9941E';
const appSecret = '30BFE2B0C715E516E5EDF21E289DA826';
const platform = generateKeyPair();
const data = { payOrdId: 'ORD1', amount: '0.00', tradeStatus: 'SUCCESS', psnName: '张三' };

function run(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ENVELOPE_')));
  // node with tsx's loader, as `npm run envelope` runs it (without npx's own start-up on every call)
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, env, input, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** stderr without npm's own warnings about the local npm configuration */
function ownStderr(s: string): string[] {
  return s.split('\n').filter((l) => l !== '' && !l.startsWith('npm warn'));
}

const openArgs = ['open', '--app-id', appId, '--app-secret', appSecret, '--platform-public-key', platform.publicKey];

describe('envelope CLI', () => {
  it('opens a genuine body: exit 0 and only the data, as pretty JSON, on stdout', () => {
    const body = seal(data, { appId, appSecret, privateKey: platform.privateKey });
    const r = run(openArgs, JSON.stringify(body));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(data);
    expect(r.stdout).toBe(JSON.stringify(data, null, 2) + '\n');
  });

  it('refuses a tampered body: exit 1 and one line on stderr', () => {
    const body = seal(data, { appId, appSecret, privateKey: platform.privateKey }, { timestamp: '1661239946874' });
    const r = run(openArgs, JSON.stringify({ ...body, timestamp: '1661239946875' }));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(ownStderr(r.stderr)).toEqual([expect.stringContaining('SIGNATURE_INVALID')]);
  });

  it('seals data that it then opens with the matching public key', () => {
    const sealed = run(['seal', '--app-id', appId, '--app-secret', appSecret, '--private-key', platform.privateKey, '--timestamp', '20240102110405'], JSON.stringify(data));
    expect(sealed.status).toBe(0);
    const env = JSON.parse(sealed.stdout) as Record<string, unknown>;
    expect(env.timestamp).toBe('20240102110405');
    const opened = run(openArgs, sealed.stdout);
    expect(opened.status).toBe(0);
    expect(JSON.parse(opened.stdout)).toEqual(data);
  });

  it('exits 2 with the usage on a missing option or an invalid key', () => {
    const missing = run(['open', '--app-id', appId, '--platform-public-key', platform.publicKey], '{}');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('missing --app-secret');
    const badKey = run(['open', '--app-id', appId, '--app-secret', appSecret, '--platform-public-key', 'BAAA'], '{}');
    expect(badKey.status).toBe(2);
    expect(badKey.stderr).toContain('invalid key');
  });

  it('generates a key pair whose public key belongs to its private key', () => {
    const r = run(['keygen']);
    expect(r.status).toBe(0);
    const kp = JSON.parse(r.stdout) as { privateKey: string; publicKey: string };
    expect(publicKeyFromPrivate(kp.privateKey)).toBe(kp.publicKey);
  });
});
