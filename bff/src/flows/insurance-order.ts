/**
 * The insurance half of every pay step, in the mini-programs and at the kiosk alike:
 * 6201 fee upload (when the order is still `created`) and 6202 insurance order (when it is
 * `fee_uploaded`, with a fresh orgBizSer on every call). Each answer is recorded before the next
 * call, so a repeated tap resumes where the last one stopped.
 */
import crypto from 'node:crypto';
import { onFeeUploaded, onInsuranceOrdered, onInsuranceOrderRefused } from '../domain/payment';
import { onOutcomeUnknown } from '../domain/settlement';
import type { Order } from '../domain/order';
import { AppError } from '../http/app-error';
import { isUnknownOutcome, NationalRejectedError } from '../national/client';
import { tracked } from './calls';
import { settlementPolicy, type Deps } from './deps';
import { peerFailure } from './peer-failure';

/** The patient's authorization: payAuthNo (mini-program e-voucher) or ecToken (kiosk voucher QR). */
export type PayAuthorization = { payAuthNo: string; ecToken?: undefined } | { ecToken: string; payAuthNo?: undefined };


/**
 * Turns a refused authorization into the caller's own answer (mini-program: authorize again;
 * kiosk: scan the voucher again); null for other refusals.
 */
export type RefusalHandler = (err: NationalRejectedError) => Promise<AppError | null>;

export async function placeInsuranceOrder(
  deps: Deps,
  start: Order,
  auth: PayAuthorization,
  location: string,
  onRefused: RefusalHandler,
): Promise<Order> {
  let order = start;
  const orderNo = order.orderNo;
  const now = () => deps.now();
  const refused = async (err: unknown) => (err instanceof NationalRejectedError ? await onRefused(err) : null);

  if (order.state === 'created') {
    const chrgBchno = `${orderNo}B1`;
    try {
      const identity = deps.pii.open(order.piiSealed);
      const r = await tracked(deps, orderNo, 'national', '6201', () =>
        deps.national.uploadFees({
          orderNo,
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
      const uploaded = { payOrdId: r.payOrdId, payToken: r.payToken, chrgBchno, ...(r.mdtrtId ? { mdtrtId: r.mdtrtId } : {}) };
      order = (await deps.orders.update(orderNo, (o) => onFeeUploaded(o, uploaded, now()))).order;
    } catch (err) {
      // Nothing is payable after a refused or unanswered upload; 6201 is keyed by medOrgOrd,
      // so the next tap repeats it safely.
      throw (await refused(err)) ?? peerFailure(err);
    }
  }

  if (order.state === 'fee_uploaded') {
    const n = order.national!;
    const orgBizSer = `${orderNo}${Date.now().toString(36).toUpperCase()}${crypto.randomBytes(2).toString('hex').toUpperCase()}`;
    try {
      const r = await tracked(deps, orderNo, 'national', '6202', () =>
        deps.national.placeOrder({ ...auth, payOrdId: n.payOrdId, payToken: n.payToken, orgBizSer, chrgBchno: n.chrgBchno, mdtrtId: n.mdtrtId, location }),
      );
      const answer = { ordStas: r.ordStas, split: r.split, orgBizSer };
      order = (await deps.orders.update(orderNo, (o) => onInsuranceOrdered(o, answer, now()))).order;
    } catch (err) {
      if (isUnknownOutcome(err)) {
        await deps.orders.update(orderNo, (o) => onOutcomeUnknown(o, '医保支付下单无应答 (6202)', settlementPolicy(deps.config), now()));
        throw new AppError('PEER_TIMEOUT', undefined, undefined, err);
      }
      if (err instanceof NationalRejectedError) {
        await deps.orders.update(orderNo, (o) => onInsuranceOrderRefused(o, `${err.code} ${err.detail}`, now()));
        throw (await refused(err)) ?? new AppError('PEER_REJECTED', `医保中心未受理：${err.detail}`, undefined, err);
      }
      throw peerFailure(err);
    }
    if (order.state === 'manual_review') throw new AppError('AMOUNT_MISMATCH');
  }
  return order;
}
