import { useRef, useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { platform } from '../../platform';
import { call, getConfig, messageOf } from '../../lib/api';
import { useGuardedAction, useLoad, useShownAgain } from '../../lib/hooks';
import { nextStepFor } from '../../lib/next-step';
import { getProgress } from '../../lib/progress';
import { PAGES, go, param, replace, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { AmountsBlock } from '../../components/Amounts';
import { Empty, ErrorView, Loading, Notice } from '../../components/States';

/**
 * C1/C12: the mobile-payment page. Total first and largest, then the insurance part (统筹基金 +
 * 个人账户), then the self-pay part paid now in WeChat/Alipay; payer (masked) and hospital; ONE
 * pay button that cannot be tapped into a second payment.
 */
export default function PayPage() {
  const { params } = useRouter();
  const orderNo = param(params, 'orderNo') ?? '';
  const state = useLoad(async () => {
    const [config, { order }] = await Promise.all([getConfig(), call('getOrder', { params: { orderNo } })]);
    return { config, order };
  }, [orderNo]);
  const { busy, run } = useGuardedAction();
  const leaving = useRef(false);
  const [left, setLeft] = useState(false);
  const [payError, setPayError] = useState<unknown>(null);
  const [unsupported, setUnsupported] = useState<string | null>(null);
  const here = url(PAGES.pay, { orderNo });
  useShownAgain(() => {
    if (busy || leaving.current) return;
    setPayError(null); // back from authorizing: the pay button is the next step again
    state.reload();
  });

  const leave = (to: string) => {
    leaving.current = true;
    setLeft(true);
    replace(to);
  };

  const pay = () => {
    if (state.status !== 'success' || leaving.current) return;
    const { config } = state.data;
    return run(async () => {
      setPayError(null);
      setUnsupported(null);
      // Subscription first, inside the tap (WeChat only allows it from a user gesture), never blocking.
      await platform.requestSubscribe(config);
      let res;
      try {
        res = await call('payOrder', { params: { orderNo }, body: {} });
      } catch (e) {
        setPayError(e);
        return;
      }
      if (!res.payment) {
        leave(url(PAGES.result, { orderNo, outcome: 'none' }));
        return;
      }
      const out = await platform.pay(res.payment, config);
      if (out.outcome === 'unsupported') {
        setUnsupported(out.message);
        return;
      }
      leave(url(PAGES.result, { orderNo, outcome: out.outcome, message: out.outcome === 'fail' ? out.message : undefined }));
    });
  };

  if (!orderNo) {
    return (
      <Page id='page-pay' title='医保支付'>
        <Empty text='没有找到要支付的订单。'>
          <Button id='go-orders' className='btn btn--primary' ariaLabel='查看我的订单' onClick={() => replace(PAGES.orders)}>
            查看我的订单
          </Button>
        </Empty>
      </Page>
    );
  }

  const step = payError ? nextStepFor(payError, here) : undefined;
  // one decision per screen: when the next step is elsewhere (authorize first), it is the only button
  const blockedBy = step?.mode === 'go' ? step : undefined;
  const benefit = getProgress().benefit;
  return (
    <Page id='page-pay' title='医保移动支付'>
      {state.status === 'loading' ? <Loading text='正在核算费用，请稍候…' /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} returnTo={here} /> : null}
      {state.status === 'success' ? (
        <View>
          <View className='card' id='pay-header'>
            <Text className='card__title' id='pay-hospital'>
              {state.data.config.hospitalName}
            </Text>
            <Text className='card__line' id='pay-title'>
              {state.data.order.title}
            </Text>
          </View>
          <AmountsBlock amounts={state.data.order.amounts} cashLabel={`个人自付（${platform.payChannelName()}）`} />
          {!state.data.order.amountsFinal ? (
            <Notice id='pay-estimate' kind='info' label='医保报销金额以医保结算为准'>
              以上为预估金额，医保报销金额以支付时医保结算为准。
            </Notice>
          ) : null}
          <View className='card' id='pay-payer'>
            <View className='kv' ariaLabel={`就诊人 ${state.data.order.patient.nameMasked}`}>
              <Text className='kv__k'>就诊人</Text>
              <Text className='kv__v' id='payer-name'>
                {state.data.order.patient.nameMasked}
              </Text>
            </View>
            <View className='kv' ariaLabel={`身份证 ${state.data.order.patient.idNoMasked}`}>
              <Text className='kv__k'>身份证</Text>
              <Text className='kv__v' id='payer-id'>
                {state.data.order.patient.idNoMasked}
              </Text>
            </View>
            {benefit ? (
              <View className='kv'>
                <Text className='kv__k'>医保待遇</Text>
                <Text className='kv__v'>{benefit.name}</Text>
              </View>
            ) : null}
            <View className='kv'>
              <Text className='kv__k'>订单号</Text>
              <Text className='kv__v'>{state.data.order.orderNo}</Text>
            </View>
          </View>

          {unsupported ? (
            <Notice id='pay-unsupported' kind='warn' label={unsupported}>
              {unsupported}
            </Notice>
          ) : null}
          {payError ? (
            <View>
              <Notice id='pay-error' kind='error' label={messageOf(payError)}>
                {messageOf(payError)}
              </Notice>
              {step ? (
                <Button id='error-action' className={`btn ${blockedBy ? 'btn--primary' : 'btn--secondary'}`} ariaLabel={step.label} onClick={() => go(step.to)}>
                  {step.label}
                </Button>
              ) : null}
            </View>
          ) : null}

          {blockedBy ? null : state.data.order.canPay ? (
            <Button
              id='pay-button'
              className={`btn btn--primary${busy || left ? ' btn--disabled' : ''}`}
              disabled={busy || left}
             
              ariaLabel={busy ? '正在支付，请稍候' : '确认支付'}
              onClick={pay}
            >
              {busy || left ? '正在支付，请稍候…' : '确认支付'}
            </Button>
          ) : (
            <View>
              <Notice id='pay-not-payable' kind='info' label={`这笔订单${state.data.order.stateLabel}`}>
                这笔订单当前状态：{state.data.order.stateLabel}，不需要再支付。
              </Notice>
              <Button
                id='view-result'
                className='btn btn--primary'
                ariaLabel='查看支付结果'
                onClick={() => replace(url(PAGES.result, { orderNo, outcome: 'check' }))}
              >
                查看支付结果
              </Button>
            </View>
          )}
        </View>
      ) : null}
    </Page>
  );
}
