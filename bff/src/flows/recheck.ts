/**
 * C15: a staff member asks the centre (6301) and the payment channel again about one order, now —
 * the one-click form of what finance staff would otherwise look up in the centre's and the
 * channel's consoles before resolving a manual-review case (docs/operations.md). The answers go
 * through the same decisions as a poll's (flows/confirming.ts): an open order may be decided by
 * them, an order a person holds or a final one only records them. Each question is on the order's
 * call log; one timeline line says who asked and what each said. Nothing here moves money.
 */
import { formatFen } from '@mip/shared';
import type { ChannelPaymentStatus } from '../channels/port';
import type { CentreOrderStatus } from '../national/port';
import { DomainError } from '../domain/errors';
import type { Order } from '../domain/order';
import { ordStasText } from '../domain/ord-stas';
import { onStaffRecheck } from '../domain/review';
import { maskText } from '../obs/mask';
import { askCentre, askChannel, type QueryDeps } from './confirming';

export interface RecheckAnswers {
  centre?: string;
  channel?: string;
}

const CHANNEL_STATUS: Record<ChannelPaymentStatus['status'], string> = { paid: '已支付', pending: '支付中或未支付', failed: '支付失败', refunded: '已退款', unknown: '状态不明' };
const LEG: Record<string, string> = { taken: '已扣款', not_taken: '未扣款', unknown: '不明' };

function centreSaid(s: CentreOrderStatus): string {
  const split = s.split ? `，统筹 ${formatFen(s.split.fundFen)}，个账 ${formatFen(s.split.acctFen)}，自费 ${formatFen(s.split.cashFen)}` : '';
  return `ordStas ${ordStasText(s.ordStas)}${split}`;
}

function channelSaid(s: ChannelPaymentStatus): string {
  const cash = s.cashPaidFen !== undefined ? `，自费实付 ${formatFen(s.cashPaidFen)}` : '';
  const legs = s.legs ? `（自费${LEG[s.legs.cash] ?? s.legs.cash}，医保${LEG[s.legs.insurance] ?? s.legs.insurance}）` : '';
  return `${CHANNEL_STATUS[s.status]}${legs}${cash}`;
}

/** A question that got no answer says so; a peer's message may quote an ID number, so it is masked. */
const unanswered = (err: unknown) => maskText(`未得到答复：${(err as Error).message}`).slice(0, 200);

export async function recheckOrder(deps: QueryDeps, orderNo: string, staffId: string): Promise<{ order: Order; answers: RecheckAnswers }> {
  let order = await deps.orders.get(orderNo);
  if (!order) throw new DomainError('ORDER_NOT_FOUND');
  const answers: RecheckAnswers = {};
  try {
    const r = await askCentre(deps, order);
    if (r) {
      order = r.order;
      answers.centre = centreSaid(r.status);
    }
  } catch (err) {
    answers.centre = unanswered(err);
  }
  try {
    const r = await askChannel(deps, order);
    if (r) {
      order = r.order;
      answers.channel = channelSaid(r.status);
    }
  } catch (err) {
    answers.channel = unanswered(err);
  }
  const { order: after } = await deps.orders.update(orderNo, (o) => onStaffRecheck(o, staffId, answers, deps.now()));
  deps.log.info({ event: 'staff.order.recheck', orderNo, staffId, state: after.state }, 'staff asked the centre and the channel again');
  return { order: after, answers };
}
