import { useRef, useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { Amounts, OrderView, PayParams } from '@mip/shared/src/contract/schemas';
import { formatFen } from '@mip/shared/src/money';
import { platform, type ClientConfig } from '../../platform';
import { call, getConfig, messageOf } from '../../lib/api';
import { useGuardedAction, useLoad, useNow, useShownAgain } from '../../lib/hooks';
import { nextStepFor } from '../../lib/next-step';
import { getProgress } from '../../lib/progress';
import { CONFIRMING_NEXT, markPaidInSheet, orderStatus } from '../../lib/order-status';
import { PAGES, go, param, replace, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { DeadlineField } from '../../components/Field';
import { AmountLine, AmountsBlock } from '../../components/Amounts';
import { Empty, ErrorView, Loading, Notice } from '../../components/States';
import { samePay, splitChange } from '../../lib/split';
import { InlineAuthorize, needsAuthorization } from '../../components/InlineAuthorize';

interface Ready {
  config: ClientConfig;
  order: OrderView;
  /** what the patient was shown before the centre fixed the split (HIS's estimate), if it differs */
  changedFrom?: Amounts;
  /** the pay call's parameters, held until the patient taps (the sheet opens only then) */
  payment: PayParams | null;
  /** the centre could not pre-settle (authorization missing, peer down): no button to pay */
  presettleError?: unknown;
}

/**
 * C1/C12: the national medical-insurance mobile-payment page (医保移动支付). Opening it asks the
 * centre to pre-settle (POST pay: 6201 upload + 6202, which fixes the split; the WeChat/Alipay
 * order is only prepared, nothing is charged) and shows the centre's split, never HIS's estimate:
 * total first and largest, then the insurance part (统筹基金, 个人账户), then 个人自付 paid now.
 * The WeChat/Alipay sheet opens only on the patient's tap of "确认支付 ¥x.xx".
 * Layout follows WeChat Pay's 医保移动支付 guide (wechatpay-med-ins/小程序调起医保支付说明.md: the
 * amounts come from the pre-settled order, total = 医保统筹 + 个账 + 其他 + 自费) and the
 * national mobile-payment page order kept in client/README.md (total, insurance, self-pay, payer,
 * hospital, one button).
 */
export default function PayPage() {
  const { params } = useRouter();
  const orderNo = param(params, 'orderNo') ?? '';
  const state = useLoad(async (): Promise<Ready> => {
    const [config, { order }] = await Promise.all([getConfig(), call('getOrder', { params: { orderNo } })]);
    if (!orderStatus(order).canPay) return { config, order, payment: null };
    try {
      const res = await call('payOrder', { params: { orderNo }, body: {} });
      const changed = !order.amountsFinal && splitChange(order.amounts, res.order.amounts);
      return { config, order: res.order, payment: res.payment, ...(changed ? { changedFrom: order.amounts } : {}) };
    } catch (e) {
      return { config, order, payment: null, presettleError: e };
    }
  }, [orderNo]);
  const { busy, run } = useGuardedAction();
  const leaving = useRef(false);
  const [left, setLeft] = useState(false);
  const [payError, setPayError] = useState<unknown>(null);
  const [unsupported, setUnsupported] = useState<string | null>(null);
  /** the split changed between showing and tapping: shown again, the next tap pays */
  const [moved, setMoved] = useState<{ from: Amounts; order: OrderView; payment: PayParams | null } | null>(null);
  const here = url(PAGES.pay, { orderNo });
  useShownAgain(() => {
    if (busy || leaving.current) return;
    setPayError(null); // back from authorizing: pre-settle again
    setMoved(null);
    state.reload();
  });

  const leave = (to: string) => {
    leaving.current = true;
    setLeft(true);
    replace(to);
  };

  const ready = state.status === 'success' ? state.data : null;
  const order = moved?.order ?? ready?.order;
  const now = useNow(!!order?.payBefore && !left);

  const pay = () => {
    if (!ready || !order || leaving.current) return;
    return run(async () => {
      setPayError(null);
      setUnsupported(null);
      // Subscription first, inside the tap (WeChat only allows it from a user gesture), never blocking.
      await platform.requestSubscribe(ready.config);
      let res;
      try {
        // the same parameters again (the BFF never orders twice); fresh ones if they lapsed
        res = await call('payOrder', { params: { orderNo }, body: {} });
      } catch (e) {
        setPayError(e);
        return;
      }
      if (!samePay(order.amounts, res.order.amounts)) {
        setMoved({ from: order.amounts, order: res.order, payment: res.payment });
        return;
      }
      if (!res.payment) {
        leave(url(PAGES.result, { orderNo, outcome: 'none' }));
        return;
      }
      const out = await platform.pay(res.payment, ready.config);
      if (out.outcome === 'unsupported') {
        setUnsupported(out.message);
        return;
      }
      if (out.outcome === 'ok') markPaidInSheet(orderNo);
      leave(url(PAGES.result, { orderNo, outcome: out.outcome, message: out.outcome === 'fail' ? out.message : undefined }));
    });
  };

  if (!orderNo) {
    return (
      <Page id='page-pay' title='医保移动支付'>
        <Empty text='没有找到要支付的订单。'>
          <Button id='go-orders' className='btn btn--primary' ariaLabel='查看我的订单' onClick={() => replace(PAGES.orders)}>
            查看我的订单
          </Button>
        </Empty>
      </Page>
    );
  }

  const shownError = payError ?? ready?.presettleError;
  // an authorization missing, spent or expired is renewed right here and comes back to this order
  const inlineAuth = !!shownError && needsAuthorization(shownError);
  const step = shownError && !inlineAuth ? nextStepFor(shownError, here) : undefined;
  // one decision per screen: when the next step is elsewhere (authorize first), it is the only button
  const blockedBy = step?.mode === 'go' ? step : undefined;
  const benefit = getProgress().benefit;
  const status = order ? orderStatus(order, now) : null;
  const changedFrom = moved?.from ?? ready?.changedFrom;
  const cashLabel = `个人自付（${platform.payChannelName()}）`;
  // 自费: the whole amount in WeChat/Alipay, no insurance rows (domain/self-pay.ts on the BFF)
  const selfPay = order?.payMode === 'self';
  return (
    <Page id='page-pay' title={selfPay ? '自费支付' : '医保移动支付'}>
      {state.status === 'loading' ? <Loading text='正在核算医保报销金额，请稍候…' /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} returnTo={here} /> : null}
      {ready && order && status ? (
        <View>
          <View className='card' id='pay-header'>
            {selfPay ? (
              <View className='pay-mark' ariaLabel='自费支付，不使用医保' id='pay-self-mark'>
                <Text className='pay-mark__text'>自费支付（不使用医保）</Text>
              </View>
            ) : (
              <View className='pay-mark' ariaLabel='医保移动支付'>
                <Text className='pay-mark__badge'>医保</Text>
                <Text className='pay-mark__text'>医保移动支付</Text>
              </View>
            )}
            <Text className='card__title' id='pay-hospital'>
              {ready.config.hospitalName}
            </Text>
            <Text className='card__line' id='pay-title'>
              {order.title}
            </Text>
          </View>
          {selfPay ? (
            <AmountsBlock amounts={order.amounts} cashLabel={cashLabel} selfPay />
          ) : ready.presettleError ? (
            <View className='amounts'>
              <AmountLine id='amount-total' label='费用总额' fen={order.amounts.totalFen} level='total' />
            </View>
          ) : (
            <AmountsBlock amounts={order.amounts} cashLabel={cashLabel} />
          )}
          {changedFrom && !ready.presettleError ? (
            <Notice id='pay-changed' kind='warn' label={changeText(changedFrom, order.amounts)}>
              {changeText(changedFrom, order.amounts)}
            </Notice>
          ) : null}
          {order.amountsFinal && !ready.presettleError && status.canPay ? (
            <Text className='muted' id='pay-final'>
              {selfPay ? '本次不使用医保，费用全部自费。点「确认支付」后才会扣款。' : '以上金额由医保中心核算，点「确认支付」后才会扣款。'}
            </Text>
          ) : null}
          <View className='card' id='pay-payer'>
            <View className='kv' ariaLabel={`就诊人 ${order.patient.relationLabel ?? ''}${order.patient.nameMasked}`}>
              <Text className='kv__k'>就诊人</Text>
              <Text className='kv__v' id='payer-name'>
                {order.patient.relationLabel ? `${order.patient.relationLabel} ` : ''}
                {order.patient.nameMasked}
              </Text>
            </View>
            <View className='kv' ariaLabel={`身份证 ${order.patient.idNoMasked}`}>
              <Text className='kv__k'>身份证</Text>
              <Text className='kv__v' id='payer-id'>
                {order.patient.idNoMasked}
              </Text>
            </View>
            {benefit && !selfPay && !order.patient.memberId ? (
              <View className='kv'>
                <Text className='kv__k'>医保待遇</Text>
                <Text className='kv__v'>{benefit.name}</Text>
              </View>
            ) : null}
            <View className='kv'>
              <Text className='kv__k'>订单号</Text>
              <Text className='kv__v' id='pay-order-no'>
                {order.orderNo}
              </Text>
            </View>
            {status.remaining ? <DeadlineField id='pay-deadline' remaining={status.remaining} /> : null}
          </View>

          {unsupported ? (
            <Notice id='pay-unsupported' kind='warn' label={unsupported}>
              {unsupported}
            </Notice>
          ) : null}
          {shownError ? (
            <View>
              <Notice id='pay-error' kind='error' label={messageOf(shownError)}>
                {messageOf(shownError)}
              </Notice>
              {inlineAuth ? (
                <InlineAuthorize
                  here={here}
                  familyPay={!!order.patient.memberId}
                  onAuthorized={() => {
                    setPayError(null);
                    setMoved(null);
                    state.reload();
                  }}
                />
              ) : null}
              {step ? (
                <Button id='error-action' className={`btn ${blockedBy ? 'btn--primary' : 'btn--secondary'}`} ariaLabel={step.label} onClick={() => go(step.to)}>
                  {step.label}
                </Button>
              ) : null}
              {ready.presettleError && !blockedBy && !inlineAuth ? (
                <Button id='retry' className='btn btn--primary' ariaLabel='重新核算' onClick={state.reload}>
                  重新核算
                </Button>
              ) : null}
            </View>
          ) : null}

          {blockedBy || ready.presettleError || inlineAuth ? null : status.canPay ? (
            <Button
              id='pay-button'
              className={`btn btn--primary${busy || left ? ' btn--disabled' : ''}`}
              disabled={busy || left}
              ariaLabel={busy ? '正在支付，请稍候' : `确认支付${order.amounts.cashFen > 0 ? formatFen(order.amounts.cashFen) : ''}`}
              onClick={pay}
            >
              {busy || left ? '正在支付，请稍候…' : `确认支付 ${formatFen(order.amounts.cashFen)}`}
            </Button>
          ) : status.confirming ? (
            <View>
              <Notice id='pay-confirming' kind='info' label={`${status.label}。${CONFIRMING_NEXT}`}>
                {status.label}。{CONFIRMING_NEXT}
              </Notice>
              <Button id='view-result' className='btn btn--primary' ariaLabel='查看支付结果' onClick={() => replace(url(PAGES.result, { orderNo, outcome: 'check' }))}>
                查看支付结果
              </Button>
            </View>
          ) : (
            <View>
              <Notice id='pay-not-payable' kind='info' label={`这笔订单${status.label}`}>
                这笔订单当前状态：{status.label}，不需要再支付。
              </Notice>
              <Button id='view-result' className='btn btn--primary' ariaLabel='查看支付结果' onClick={() => replace(url(PAGES.result, { orderNo, outcome: 'check' }))}>
                查看支付结果
              </Button>
            </View>
          )}
        </View>
      ) : null}
    </Page>
  );
}

function changeText(from: Amounts, to: Amounts): string {
  const total = from.totalFen !== to.totalFen ? `费用总额由 ${formatFen(from.totalFen)} 变为 ${formatFen(to.totalFen)}，` : '';
  return `金额有变化：医保中心核算后，${total}您本次需支付 ${formatFen(to.cashFen)}（之前显示 ${formatFen(from.cashFen)}）。请以本页金额为准。`;
}
