/**
 * The insurance half of every pay step, in the mini-programs and at the kiosk alike:
 * 6201 fee upload (when the order is still `created`) and 6202 insurance order (when it is
 * `fee_uploaded`, with a fresh orgBizSer on every call). Each answer is recorded before the next
 * call, so a repeated tap resumes where the last one stopped.
 */
import crypto from 'node:crypto';
import { feeUploadKeys, onFeeUploaded, onFeeUploadUnanswered, onInsuranceOrdered, onInsuranceOrderRefused } from '../domain/payment';
import { onOutcomeUnknown } from '../domain/settlement';
import type { Order } from '../domain/order';
import { AppError } from '../http/app-error';
import { isUnknownOutcome, NationalRejectedError } from '../national/client';
import { NationalRequestError } from '../national/messages';
import { tracked } from './calls';
import { settlementPolicy, type Deps, type SettlementConfig } from './deps';
import { peerFailure } from './peer-failure';

/** The patient's authorization: payAuthNo (mini-program e-voucher) or ecToken (kiosk voucher QR). */
export type PayAuthorization = { payAuthNo: string; ecToken?: undefined } | { ecToken: string; payAuthNo?: undefined };


/**
 * Turns a refused authorization into the caller's own answer (mini-program: authorize again;
 * kiosk: scan the voucher again); null for other refusals.
 */
export type RefusalHandler = (err: NationalRejectedError) => Promise<AppError | null>;

export type InsuranceOrderDeps = Pick<Deps, 'national' | 'orders' | 'pii' | 'now' | 'log'> & { config: SettlementConfig };

export async function placeInsuranceOrder(
  deps: InsuranceOrderDeps,
  start: Order,
  auth: PayAuthorization,
  location: string,
  onRefused: RefusalHandler,
): Promise<Order> {
  let order = start;
  const orderNo = order.orderNo;
  const now = () => deps.now();
  const refused = async (err: unknown) => {
    // a request the centre would refuse, caught before it left (TSX: "mdtrtId is unavailable" aborts)
    if (err instanceof NationalRequestError) return new AppError('PEER_REJECTED', '医保就诊信息不完整，暂不能医保支付，请到收费窗口办理', undefined, err);
    return err instanceof NationalRejectedError ? await onRefused(err) : null;
  };

  // what a later 6203 must carry (public-rules item 1), kept from the first call that used it
  const authorization = auth.ecToken !== undefined ? { ecToken: auth.ecToken } : { payAuthNo: auth.payAuthNo };

  if (order.state === 'created') {
    const { medOrgOrd, chrgBchno } = feeUploadKeys(order);
    try {
      const identity = deps.pii.open(order.piiSealed);
      const r = await tracked(deps, orderNo, 'national', '6201', () =>
        deps.national.uploadFees({
          orderNo: medOrgOrd,
          chrgBchno,
          psnNo: order.psnNo,
          insutype: order.insutype,
          regionCode: order.regionCode,
          identity,
          ...auth,
          location,
          preSettlement: order.preSettlement,
          totalFen: order.amounts.totalFen,
        }),
      );
      await deps.orders.setRef('payOrdId', r.payOrdId, orderNo);
      const uploaded = { payOrdId: r.payOrdId, payToken: r.payToken, chrgBchno, authorization, ...(r.mdtrtId ? { mdtrtId: r.mdtrtId } : {}) };
      order = (await deps.orders.update(orderNo, (o) => onFeeUploaded(o, uploaded, now()), order)).order;
    } catch (err) {
      // Nothing is payable after a refused or unanswered upload. An unanswered one is never
      // repeated under the same medOrgOrd (public-rules item 9): the next tap uses fresh keys.
      if (isUnknownOutcome(err)) await deps.orders.update(orderNo, (o) => onFeeUploadUnanswered(o, now()));
      throw (await refused(err)) ?? peerFailure(err);
    }
  }

  if (order.state === 'fee_uploaded') {
    const n = order.national!;
    const orgBizSer = `${orderNo}${Date.now().toString(36).toUpperCase()}${crypto.randomBytes(2).toString('hex').toUpperCase()}`;
    try {
      const r = await tracked(deps, orderNo, 'national', '6202', () =>
        deps.national.placeOrder({ ...auth, payOrdId: n.payOrdId, payToken: n.payToken, orgBizSer, chrgBchno: n.chrgBchno, mdtrtId: n.mdtrtId, location }, order.regionCode),
      );
      const answer = { ordStas: r.ordStas, split: r.split, orgBizSer, authorization, ...(r.splitIssue ? { splitIssue: r.splitIssue } : {}) };
      order = (await deps.orders.update(orderNo, (o) => onInsuranceOrdered(o, answer, now()), order)).order;
    } catch (err) {
      if (err instanceof NationalRequestError) throw (await refused(err))!;
      if (isUnknownOutcome(err)) {
        // the 6202 may have been accepted with this authorization: keep it for a refund
        const withAuth = (o: Order): Order => (o.national ? { ...o, national: { ...o.national, authorization } } : o);
        await deps.orders.update(orderNo, (o) => onOutcomeUnknown(withAuth(o), '医保支付下单无应答 (6202)', settlementPolicy(deps.config), now()));
        throw new AppError('PEER_TIMEOUT', undefined, undefined, err);
      }
      if (err instanceof NationalRejectedError) {
        await deps.orders.update(orderNo, (o) => onInsuranceOrderRefused(o, `${err.code} ${err.detail}`, now()));
        throw (await refused(err)) ?? new AppError('PEER_REJECTED', '医保中心未受理这笔支付，这次没有扣款。请稍后重试，或到医院窗口办理', undefined, err);
      }
      throw peerFailure(err);
    }
    if (order.state === 'manual_review') throw new AppError('AMOUNT_MISMATCH');
  }
  return order;
}
