import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { OrderView } from '@mip/shared/src/contract/schemas';
import { formatFen } from '@mip/shared/src/money';
import { platform } from '../../platform';
import { call, messageOf } from '../../lib/api';
import { useGuardedAction, useLoad, useNow, useReloadWhen, useShownAgain } from '../../lib/hooks';
import { CONFIRMING_NEXT, orderStatus } from '../../lib/order-status';
import { OrderVisitRows } from '../../components/OrderVisit';
import { PAY_CHANNEL_LABEL, REFUND_STATE_LABEL, shortTime, spokenFen } from '../../lib/labels';
import { PAGES, go, param, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { DeadlineField } from '../../components/Field';
import { AmountsBlock } from '../../components/Amounts';
import { ErrorView, Loading, Notice } from '../../components/States';

/** One order: what it was for, the split, the payments taken and every refund. */
export default function OrderPage() {
  const { params } = useRouter();
  const orderNo = param(params, 'orderNo') ?? '';
  const state = useLoad(() => call('getOrder', { params: { orderNo } }), [orderNo]);
  const [updated, setUpdated] = useState<OrderView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { busy, run } = useGuardedAction();
  useShownAgain(() => {
    setUpdated(null);
    state.reload();
  });

  const order = updated ?? (state.status === 'success' ? state.data.order : null);
  // money actually taken (insurance, self-pay); an older BFF without the field shows none
  const payments = order?.payments ?? [];
  const now = useNow(!!order?.payBefore);
  const status = order ? orderStatus(order, now) : null;
  useReloadWhen(status?.lapsed ? 1 : 0, () => {
    setUpdated(null);
    state.reload();
  });

  /** Asks first; on yes, the order action runs and the page shows the order it answers. */
  const afterConfirm = (modal: { title: string; content: string; confirmText: string; cancelText: string }, action: 'cancelOrder' | 'cancelRegistration') =>
    run(async () => {
      setError(null);
      const ok = await Taro.showModal(modal).then(
        (r) => !!r.confirm,
        () => false,
      );
      if (!ok) return;
      try {
        setUpdated((await call(action, { params: { orderNo } })).order);
      } catch (e) {
        setError(e);
      }
    });

  const cancel = () => afterConfirm({ title: '取消订单', content: '确定要取消这笔订单吗？取消后不会扣款。', confirmText: '确定取消', cancelText: '不取消' }, 'cancelOrder');

  const cancelRegistration = () => {
    const content = `确定要退掉这个号吗？退号后挂号费原路退回：医保支付的部分退回医保，自付部分退回您的${platform.payChannelName()}。退回需要一些时间，可在本页查看进度。`;
    return afterConfirm({ title: '退号', content, confirmText: '确定退号', cancelText: '不退号' }, 'cancelRegistration');
  };

  return (
    <Page id='page-order' title='订单详情'>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {order && status ? (
        <View>
          <View className='card' id='order-summary'>
            <Text className='card__title'>{order.title}</Text>
            <View className='kv'>
              <Text className='kv__k'>状态</Text>
              <Text className='kv__v' id='order-state' data-state={order.state} data-confirming={status.confirming ? 'true' : 'false'}>
                {status.label}
              </Text>
            </View>
            {status.remaining ? <DeadlineField id='order-deadline' remaining={status.remaining} /> : null}
            <View className='kv'>
              <Text className='kv__k'>订单号</Text>
              <Text className='kv__v'>{order.orderNo}</Text>
            </View>
            <View className='kv'>
              <Text className='kv__k'>就诊人</Text>
              <Text className='kv__v'>
                {order.patient.relationLabel ? `${order.patient.relationLabel} ` : ''}
                {order.patient.nameMasked} {order.patient.idNoMasked}
              </Text>
            </View>
            <OrderVisitRows order={order} now={now} />
            <View className='kv'>
              <Text className='kv__k'>下单时间</Text>
              <Text className='kv__v'>{shortTime(order.createdAt)}</Text>
            </View>
            {order.paidAt ? (
              <View className='kv'>
                <Text className='kv__k'>支付时间</Text>
                <Text className='kv__v' id='order-paid-at'>
                  {shortTime(order.paidAt)}
                </Text>
              </View>
            ) : null}
          </View>

          {status.confirming ? (
            <Notice id='order-confirming' kind='info' label={`${status.label}。${CONFIRMING_NEXT}`}>
              {status.label}。{CONFIRMING_NEXT}
            </Notice>
          ) : null}
          <Text className='section-title'>{order.paidAt ? '支付明细' : '费用'}</Text>
          <View id='order-amounts'>
            <AmountsBlock amounts={order.amounts} ids={false} cashLabel={`个人自付（${platform.payChannelName()}）`} selfPay={order.payMode === 'self'} />
          </View>

          {payments.length > 0 ? (
            <View>
              <Text className='section-title'>支付记录</Text>
              <View className='card' id='order-payments'>
                {payments.map((pm) => {
                  const label = pm.kind === 'insurance' ? '医保支付' : `个人自付（${PAY_CHANNEL_LABEL[pm.channel] ?? pm.channel}）`;
                  return (
                    <View key={pm.kind} id={`payment-${pm.kind}`} className='item' ariaLabel={`${label}${spokenFen(pm.amountFen)}，${shortTime(pm.at)}`}>
                      <View className='item__top'>
                        <Text>{label}</Text>
                        <Text>{formatFen(pm.amountFen)}</Text>
                      </View>
                      <Text className='item__line'>支付时间 {shortTime(pm.at)}</Text>
                    </View>
                  );
                })}
              </View>
            </View>
          ) : null}

          {order.detail.items && order.detail.items.length > 0 ? (
            <View className='card' id='order-items'>
              <Text className='card__title'>费用明细（合计 {formatFen(order.amounts.totalFen)}）</Text>
              {order.detail.items.map((it, i) => (
                <View key={`${it.name}-${i}`} className='kv' ariaLabel={`${it.name}${spokenFen(it.amountFen)}`}>
                  <Text className='kv__k'>{it.name}</Text>
                  <Text className='kv__v'>{formatFen(it.amountFen)}</Text>
                </View>
              ))}
            </View>
          ) : null}

          <Text className='section-title'>退款</Text>
          {order.refunds.length === 0 ? (
            <Text className='muted' id='order-no-refunds'>
              没有退款记录。
            </Text>
          ) : (
            <View id='order-refunds'>
              {order.refunds.map((r) => (
                <View key={r.refundNo} id={`refund-${r.refundNo}`} className='card' ariaLabel={`退款${spokenFen(r.amounts.totalFen)}，${r.stateLabel ?? REFUND_STATE_LABEL[r.state] ?? '处理中'}`}>
                  <Text className='card__title'>
                    退款 {formatFen(r.amounts.totalFen)} · <Text id={`refund-state-${r.refundNo}`} data-state={r.state}>{r.stateLabel ?? REFUND_STATE_LABEL[r.state] ?? '处理中'}</Text>
                  </Text>
                  <Text className='card__line'>
                    医保退回 {formatFen(r.amounts.fundFen + r.amounts.acctFen)} · 自付退回 {formatFen(r.amounts.cashFen)}
                  </Text>
                  {r.reason ? <Text className='card__line'>原因：{r.reason}</Text> : null}
                  <Text className='card__line'>
                    申请时间 {shortTime(r.createdAt)}
                    {r.finishedAt ? ` · 完成时间 ${shortTime(r.finishedAt)}` : ''}
                  </Text>
                </View>
              ))}
            </View>
          )}

          {error ? (
            <Notice id='order-error' kind='error' label={messageOf(error)}>
              {messageOf(error)}
            </Notice>
          ) : null}
          {status.canPay ? (
            <Button id='order-pay' className='btn btn--primary' ariaLabel='去支付' onClick={() => go(url(PAGES.pay, { orderNo }))}>
              去支付
            </Button>
          ) : null}
          {order.canCancelRegistration ? (
            <View id='order-cancel-registration-box'>
              {order.cancelBefore ? (
                <Text className='muted' id='order-cancel-before'>
                  就诊开始前可以退号（截止 {shortTime(order.cancelBefore)}），挂号费原路退回。
                </Text>
              ) : null}
              <Button
                id='order-cancel-registration'
                className={`btn btn--secondary${busy ? ' btn--disabled' : ''}`}
                disabled={busy}
                ariaLabel='退号'
                onClick={cancelRegistration}
              >
                {busy ? '正在退号…' : '退号'}
              </Button>
            </View>
          ) : null}
          {order.canCancel && !status.confirming ? (
            <Button id='order-cancel' className={`btn btn--secondary${busy ? ' btn--disabled' : ''}`} disabled={busy} ariaLabel='取消订单' onClick={cancel}>
              {busy ? '正在取消…' : '取消订单'}
            </Button>
          ) : null}
        </View>
      ) : null}
    </Page>
  );
}
