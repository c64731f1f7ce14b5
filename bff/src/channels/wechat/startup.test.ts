import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callbackUrlProblem, readMerchantKeyFile, wechatProductionProblems } from './startup';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wechat-startup-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, mode: number, pem?: string): string {
  const file = path.join(dir, name);
  const text = pem ?? crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

const good = () => ({ publicBaseUrl: 'https://pay.hospital.cn', wechat: { merchantPrivateKeyFile: keyFile(`ok-${crypto.randomUUID()}.pem`, 0o600), medInsTestEnv: false, refundNotifyUrl: 'https://pay.hospital.cn/notify/wechat/payment' } });

describe('WeChat start-up checks in production', () => {
  it('accepts a public https callback origin, an owner-only key file and med_ins_test_env false', () => {
    expect(wechatProductionProblems(good())).toEqual([]);
  });

  it.each([
    ['http://pay.hospital.cn', 'must be https'],
    ['https://127.0.0.1:8443', 'public host'],
    ['https://192.168.1.20', 'public host'],
    ['https://localhost', 'public host'],
    ['https://pay.hospital.cn/notify?x=1', 'query'],
    [' https://pay.hospital.cn', 'spaces'],
  ])('refuses the callback address %j (接入质量检查 #13)', (url, why) => {
    const problems = wechatProductionProblems({ ...good(), publicBaseUrl: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(why);
  });

  it('checks the refund notify URL as well as the payment callback origin', () => {
    const c = good();
    expect(wechatProductionProblems({ ...c, wechat: { ...c.wechat, refundNotifyUrl: 'http://pay.hospital.cn/notify' } })[0]).toContain('refundNotifyUrl must be https');
  });

  it('refuses a private key file that group or others can read (接入质量检查 #25)', () => {
    const c = good();
    const problems = wechatProductionProblems({ ...c, wechat: { ...c.wechat, merchantPrivateKeyFile: keyFile('wide.pem', 0o644) } });
    expect(problems[0]).toContain('mode 644');
  });

  it('refuses a key given inline instead of from a file (接入质量检查 #24)', () => {
    const c = good();
    expect(wechatProductionProblems({ ...c, wechat: { ...c.wechat, merchantPrivateKeyFile: undefined } })[0]).toContain('merchantPrivateKeyFile is required');
  });

  it('refuses med_ins_test_env true (接入质量检查 #27)', () => {
    const c = good();
    expect(wechatProductionProblems({ ...c, wechat: { ...c.wechat, medInsTestEnv: true } })[0]).toContain('medInsTestEnv must be false');
  });

  it('reads the key file with CRLF line ends into a PEM that keeps its header', () => {
    const pem = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const raw: Record<string, unknown> = { merchantPrivateKeyFile: keyFile('crlf.pem', 0o600, pem.replace(/\n/g, '\r\n')) };
    readMerchantKeyFile(raw);
    expect(raw.merchantPrivateKeyPem).toBe(pem);
    expect(() => crypto.createPrivateKey(String(raw.merchantPrivateKeyPem))).not.toThrow();
  });

  it('refuses a key file that lost its BEGIN line', () => {
    const raw: Record<string, unknown> = { merchantPrivateKeyFile: keyFile('bare.pem', 0o600, 'MIIBVQIBADANBgkqhkiG9w0BAQEFAASC\n') };
    expect(() => readMerchantKeyFile(raw)).toThrow(/not a PEM private key/);
  });

  it('finds nothing wrong with a public https URL with a path', () => {
    expect(callbackUrlProblem('https://pay.hospital.cn/notify/wechat/payment')).toBeUndefined();
  });
});
