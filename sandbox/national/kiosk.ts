/**
 * The kiosk side of the sandbox centre: the e-voucher service (医保电子凭证) that reads the QR a
 * patient shows at a kiosk, a dev endpoint that issues such QR codes for seed persons, and the
 * centre's cashier (cashier.ts).
 *
 * ec.query at `/localcfc/api/hsecfc/localQrCodeQuery`, plain JSON as HSA
 * `hsa-insure/.../dzpz/module/bo/impl/DzpzOutptBOImpl.java` `ecQuery` (L49-75) builds it:
 * `{data:{orgId, businessType, operatorId, operatorName, officeId, officeName, deviceType?}, orgId,
 * transType:"ec.query"}`; success is `code "0"` (HSA `RequestInsureHnDzpz.callNeusoft`) and the
 * answer carries what HSA `OutptElectronicBillFunction.getPatientInfo` (L60-72) reads:
 * `ecToken, idNo, userName, idType, insuOrg`. Strict: refuses a body without those fields, another
 * transType, or an orgId that is not the hospital's.
 *
 * [I] The scanned content travels in `data.qrCode` (HSA's local service drives the scanner itself,
 * so its body has none). QR refusal codes are ours: 2020 unknown, 2021 expired, 2022 already used.
 * Faults on op 'ec_query' (key: the QR content): kind 'fail' only.
 */
import crypto from 'node:crypto';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { FaultBook } from '../common/faults';
import { readJson } from '../common/server';
import { personByKey } from '../seed/persons';
import { mountCashierSandbox, type CashierSandboxConfig } from './cashier';
import type { Notifier } from './notifier';
import type { CentreStore } from './store';
import type { Centre } from './transactions';

export interface KioskSandboxConfig {
  /** this sandbox's public origin; the cashier answers `${publicUrl}/cashier/…` */
  publicUrl?: string;
  ecQueryPath?: string;
  /** [I] the e-voucher app refreshes its QR about every minute */
  qrTtlMs?: number;
  /** [I] the ecToken a decoded QR yields lives minutes */
  ecTokenTtlMs?: number;
  cashier?: CashierSandboxConfig;
}

interface Parts {
  cfg: { appId: string; appSecret: string; hospitalPublicKey: string; platformPrivateKey: string; sm2UserId?: string; orgCodg: string; kiosk?: KioskSandboxConfig };
  store: CentreStore;
  centre: Centre;
  notifier: Notifier;
  faults: FaultBook;
}

interface VoucherQr {
  personKey: string;
  expiresAt: number;
  used: boolean;
}

/** The body fields of HSA DzpzOutptBOImpl.ecQuery (L57-67). */
const EC_QUERY_FIELDS = ['orgId', 'businessType', 'operatorId', 'operatorName', 'officeId', 'officeName'];

export function mountKioskSandbox(router: Router, { cfg, store, centre, notifier, faults }: Parts) {
  const kc = cfg.kiosk ?? {};
  const qrs = new Map<string, VoucherQr>();
  const refuse = (ctx: Koa.Context, code: string, message: string) => void (ctx.body = { code, message });

  /** Dev: the e-voucher QR a seed person would show on their phone. */
  router.post('/sandbox/dev/ec-qrcode', async (ctx) => {
    const b = (await readJson(ctx.req)) as { personKey?: string; ttlMs?: number };
    if (!b.personKey || !personByKey(b.personKey)) return void ((ctx.status = 404), (ctx.body = { message: `no sandbox person ${b.personKey}` }));
    const qrCode = `ECQR440100${crypto.randomBytes(16).toString('hex').toUpperCase()}`;
    const expiresAt = Date.now() + (b.ttlMs ?? kc.qrTtlMs ?? 60_000);
    for (const [k, q] of qrs) if (q.expiresAt < Date.now() - 3600_000) qrs.delete(k);
    qrs.set(qrCode, { personKey: b.personKey, expiresAt, used: false });
    ctx.body = { qrCode, expiresAt: new Date(expiresAt).toISOString() };
  });

  router.post(kc.ecQueryPath ?? '/localcfc/api/hsecfc/localQrCodeQuery', async (ctx) => {
    let body: Record<string, unknown>;
    try {
      body = (await readJson(ctx.req)) as Record<string, unknown>;
    } catch {
      return refuse(ctx, '1000', '报文格式错误');
    }
    const data = body && typeof body.data === 'object' && body.data ? (body.data as Record<string, unknown>) : null;
    if (body?.transType !== 'ec.query' || !data) return refuse(ctx, '1001', '参数校验失败: transType 或 data');
    const missing = EC_QUERY_FIELDS.filter((k) => typeof data[k] !== 'string' || data[k] === '');
    if (missing.length) return refuse(ctx, '1001', `参数校验失败: 缺少 ${missing.join(',')}`);
    if (body.orgId !== cfg.orgCodg || data.orgId !== cfg.orgCodg) return refuse(ctx, '1003', '机构ID不符');
    const qrCode = typeof data.qrCode === 'string' ? data.qrCode : '';
    const fault = faults.take('ec_query', qrCode);
    if (fault?.kind === 'fail') return refuse(ctx, fault.code ?? '9999', fault.message ?? '系统繁忙');
    const q = qrs.get(qrCode);
    if (!q) return refuse(ctx, '2020', '电子凭证二维码无效');
    if (q.expiresAt < Date.now()) return refuse(ctx, '2021', '电子凭证二维码已过期，请刷新后重试');
    if (q.used) return refuse(ctx, '2022', '电子凭证二维码已使用，请刷新后重试');
    q.used = true;
    const person = personByKey(q.personKey)!;
    const ins = person.insurance.find((i) => i.status === 'insured') ?? person.insurance[0];
    // the ecToken goes into the pay-authorization table: 6201/6202 check it like a payAuthNo
    const ecToken = `EC440100${crypto.randomBytes(12).toString('hex').toUpperCase()}`;
    store.auths.set(ecToken, { payAuthNo: ecToken, idNo: person.idNo, name: person.name, channel: 'kiosk', expiresAt: Date.now() + (kc.ecTokenTtlMs ?? 5 * 60_000) });
    ctx.body = { code: '0', message: 'success', data: { ecToken, idNo: person.idNo, userName: person.name, idType: '01', insuOrg: ins.regionCode } };
  });

  return mountCashierSandbox(router, { cfg, publicUrl: kc.publicUrl, cashier: kc.cashier, store, centre, notifier, faults });
}
