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
import { DomainError } from '../domain/errors';
import type { CentreFailure } from '../national/port';
import { tracked } from './calls';
import { CentreCallError } from './centre-call';
import { settlementPolicy, type Deps, type SettlementConfig } from './deps';

/** The patient's authorization: payAuthNo (mini-program e-voucher) or ecToken (kiosk voucher QR). */
export type PayAuthorization = { payAuthNo: string; ecToken?: undefined } | { ecToken: string; payAuthNo?: undefined };

/**
 * The caller's own answer when the centre refuses the authorization as spent or expired
 * (mini-program: authorize again; kiosk: scan the voucher again).
 */
export type AuthorizationExpiredHandler = () => Promise<DomainError>;

const NOT_ACCEPTED = '医保中心未受理这笔支付，这次没有扣款。请稍后重试，或到医院窗口办理';

/** A 6201/6202 the centre did not carry out, as the stable API error the patient sees. */
async function centreFailure(infno: string, f: CentreFailure, onExpired: AuthorizationExpiredHandler): Promise<DomainError> {
  const cause = new CentreCallError(infno, f);
  switch (f.kind) {
    // a request the centre would refuse, caught before it left (TSX: "mdtrtId is unavailable" aborts)
    case 'not_sendable':
      return new DomainError('PEER_REJECTED', '医保就诊信息不完整，暂不能医保支付，请到收费窗口办理', undefined, cause);
    case 'authorization_expired':
      return onExpired();
    case 'refused':
      return new DomainError('PEER_REJECTED', NOT_ACCEPTED, undefined, cause);
    case 'unknown':
      return new DomainError(f.why === 'no_answer' ? 'PEER_UNAVAILABLE' : 'PEER_TIMEOUT', undefined, undefined, cause);
    case 'unavailable':
      return new DomainError('PEER_UNAVAILABLE', undefined, undefined, cause);
  }
}

export type InsuranceOrderDeps = Pick<Deps, 'centre' | 'orders' | 'pii' | 'now' | 'log'> & { config: SettlementConfig };

export async function placeInsuranceOrder(
  deps: InsuranceOrderDeps,
  start: Order,
  auth: PayAuthorization,
  location: string,
  onExpired: AuthorizationExpiredHandler,
): Promise<Order> {
  let order = start;
  const orderNo = order.orderNo;
  const now = () => deps.now();

  // what a later 6203 must carry (public-rules item 1), kept from the first call that used it
  const authorization = auth.ecToken !== undefined ? { ecToken: auth.ecToken } : { payAuthNo: auth.payAuthNo };

  if (order.state === 'created') {
    const { medOrgOrd, chrgBchno } = feeUploadKeys(order);
    const identity = deps.pii.open(order.piiSealed);
    const r = await tracked(deps, orderNo, 'national', '6201', () =>
      deps.centre.uploadFees({
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
    if (r.kind !== 'uploaded') {
      // Nothing is payable after a refused or unanswered upload. An unanswered one is never
      // repeated under the same medOrgOrd (public-rules item 9): the next tap uses fresh keys.
      if (r.kind === 'unknown') await deps.orders.update(orderNo, (o) => onFeeUploadUnanswered(o, now()));
      throw await centreFailure('6201', r, onExpired);
    }
    if (deps.config.national.payOrdIdIndex) await deps.orders.setRef('payOrdId', r.payOrdId, orderNo);
    const uploaded = { payOrdId: r.payOrdId, payToken: r.payToken, chrgBchno, authorization, ...(r.mdtrtId ? { mdtrtId: r.mdtrtId } : {}) };
    order = (await deps.orders.update(orderNo, (o) => onFeeUploaded(o, uploaded, now()), order)).order;
  }

  if (order.state === 'fee_uploaded') {
    const n = order.national!;
    const orgBizSer = `${orderNo}${now().getTime().toString(36).toUpperCase()}${crypto.randomBytes(2).toString('hex').toUpperCase()}`;
    const r = await tracked(deps, orderNo, 'national', '6202', () =>
      deps.centre.placeOrder({ ...auth, payOrdId: n.payOrdId, payToken: n.payToken, orgBizSer, chrgBchno: n.chrgBchno, mdtrtId: n.mdtrtId, location, regionCode: order.regionCode }),
    );
    if (r.kind === 'unknown') {
      // the 6202 may have been accepted with this authorization: keep it for a refund
      const withAuth = (o: Order): Order => (o.national ? { ...o, national: { ...o.national, authorization } } : o);
      await deps.orders.update(orderNo, (o) => onOutcomeUnknown(withAuth(o), '医保支付下单无应答 (6202)', settlementPolicy(deps.config), now()));
      throw new DomainError('PEER_TIMEOUT', undefined, undefined, new CentreCallError('6202', r));
    }
    if (r.kind === 'refused' || r.kind === 'authorization_expired') await deps.orders.update(orderNo, (o) => onInsuranceOrderRefused(o, r.reason, now()));
    if (r.kind !== 'ordered') throw await centreFailure('6202', r, onExpired);
    const s = r.status;
    const answer = { ordStas: s.ordStas, split: s.split, orgBizSer, authorization, ...(s.splitIssue ? { splitIssue: s.splitIssue } : {}) };
    order = (await deps.orders.update(orderNo, (o) => onInsuranceOrdered(o, answer, now()), order)).order;
    if (order.state === 'manual_review') throw new DomainError('AMOUNT_MISMATCH');
  }
  return order;
}
