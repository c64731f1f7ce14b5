import crypto from 'node:crypto';
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import { packBill, tradeBillCsv } from './bill';
import type { WechatCtx } from './context';
import { underFaults } from './fault-run';
import { fail } from './v3-middleware';

const FILE_TTL_MS = 5 * 60_000;

/** GET /v3/bill/tradebill → hash + download_url; GET /v3/billdownload/file (signed GET, unsigned gzip answer). */
export function mountBills(router: Router, w: WechatCtx): void {
  const { cfg, state, faults } = w;
  const sysErr = (ctx: RouterContext) => (r: { status?: number; code?: string; message?: string }) =>
    fail(ctx, r.status ?? 500, r.code ?? 'SYSTEM_ERROR', r.message ?? '系统错误');

  router.get('/v3/bill/tradebill', async (ctx) => {
    const date = String(ctx.query.bill_date ?? '');
    await underFaults(ctx, faults, 'tradebill', date, () => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return fail(ctx, 400, 'PARAM_ERROR', 'bill_date 格式为 YYYY-MM-DD');
      const type = String(ctx.query.bill_type ?? 'ALL');
      if (type !== 'ALL') return fail(ctx, 400, 'PARAM_ERROR', '沙箱只提供 bill_type=ALL');
      const todayChina = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      if (date > todayChina) return fail(ctx, 400, 'NO_STATEMENT_EXIST', '账单文件不存在');
      const gzip = ctx.query.tar_type === 'GZIP';
      const csv = tradeBillCsv(state, cfg.appId, cfg.mchId, date);
      const { gz, sha1 } = packBill(csv);
      const token = crypto.randomBytes(18).toString('base64url');
      for (const [k, f] of state.billFiles) if (f.expiresAt < Date.now()) state.billFiles.delete(k);
      state.billFiles.set(token, { data: gzip ? gz : Buffer.from(csv, 'utf8'), expiresAt: Date.now() + FILE_TTL_MS });
      const origin = cfg.publicUrl?.replace(/\/+$/, '') ?? `${ctx.protocol}://${ctx.host}`;
      ctx.body = { hash_type: 'SHA1', hash_value: sha1, download_url: `${origin}/v3/billdownload/file?token=${token}` };
    }, sysErr(ctx));
  });

  router.get('/v3/billdownload/file', async (ctx) => {
    const token = String(ctx.query.token ?? '');
    await underFaults(ctx, faults, 'bill-download', token, () => {
      const f = state.billFiles.get(token);
      if (!f || f.expiresAt < Date.now()) return fail(ctx, 400, 'INVALID_REQUEST', '下载链接无效或已过期');
      ctx.type = 'application/octet-stream';
      ctx.body = f.data;
    }, sysErr(ctx));
  });
}
