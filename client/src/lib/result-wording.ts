import type { OrderView } from '@mip/shared/src/contract/schemas';
import { visitLabel } from './when';

export type Phase = 'confirming' | 'done' | 'timeout' | 'error';
export type Action = 'refresh' | 'retry-pay' | 'home' | 'order' | 'orders';

interface Wording {
  heading: string;
  text: string;
  actions: Action[];
}

export const PAYABLE = ['created', 'fee_uploaded', 'awaiting_payment'];

/** What the patient reads for each state, and what they can do next. */
export function describe(order: OrderView | null, outcome: string, platformMessage: string | undefined, phase: Phase): Wording {
  const declined = outcome === 'fail' || outcome === 'cancel';
  if (!order || phase === 'confirming') {
    return { heading: '支付确认中', text: '正在向医保和医院确认支付结果，请稍候，不要重复支付。', actions: [] };
  }
  switch (order.state) {
    case 'completed':
      return {
        heading: '支付成功',
        text:
          order.kind === 'registration'
            ? `挂号成功。请按预约时间${order.detail.visitTime ? `（${visitLabel(order.detail.visitTime)}）` : ''}到${order.detail.department ?? '科室'}就诊。`
            : '门诊费用已缴清，请按医生的安排取药或做检查。',
        actions: ['order', 'home'],
      };
    case 'paid':
      return { heading: '已支付，医院确认中', text: '您已付款，医院正在登记。请不要重复支付，稍后可在「我的订单」查看结果。', actions: ['refresh', 'orders'] };
    case 'failed':
      return {
        heading: '支付未成功',
        text: `这笔支付没有成功，没有扣您的钱。${order.canPay ? '您可以重新支付，' : '您可以重新挂号或缴费，'}也可以到医院窗口办理。`,
        actions: order.canPay ? ['retry-pay', 'home'] : ['home'],
      };
    case 'cancelled':
      return { heading: '订单已取消', text: '这笔订单已取消，不会扣您的钱。如需就诊，请重新挂号或缴费。', actions: ['home'] };
    case 'reversing':
      return { heading: '支付未完成，正在退款', text: '医院没能登记这笔支付，已付的钱会原路退回，请留意退款通知。', actions: ['order', 'home'] };
    case 'reversed':
      return { heading: '已退款', text: '这笔支付没有完成，已付的钱已原路退回。', actions: ['order', 'home'] };
    case 'refunded':
      return { heading: '已退款', text: '这笔订单的费用已全部退回。', actions: ['order', 'home'] };
    case 'partially_refunded':
      return { heading: '部分退款', text: '这笔订单的部分费用已退回，详情请看订单。', actions: ['order', 'home'] };
    case 'manual_review':
      return {
        heading: '人工核对中',
        text: '这笔支付需要医院人工核对。请不要重复支付；如果已经扣款，核对后会为您处理。有疑问请到医院窗口咨询。',
        actions: ['order', 'home'],
      };
    default:
      if (declined && PAYABLE.includes(order.state)) {
        return {
          heading: outcome === 'cancel' ? '您已取消支付' : '支付未完成',
          // the platform's own words only when they add something to the heading
          text: `${platformMessage && !platformMessage.includes('没有完成') ? `${platformMessage}。` : ''}您可以重新支付，或到医院窗口缴费。`,
          actions: order.canPay ? ['retry-pay', 'home'] : ['home'],
        };
      }
      return {
        heading: '支付确认中',
        text: '支付结果确认需要更长时间。请不要重复支付，稍后点「刷新结果」或在「我的订单」查看。',
        actions: ['refresh', 'orders'],
      };
  }
}

