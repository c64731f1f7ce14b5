import { useEffect, useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { OrderView } from '@mip/shared/src/contract/schemas';
import { PAYABLE, describe, type Action, type Phase } from '../../lib/result-wording';
import { platform } from '../../platform';
import { isSettled, pollOrder } from '../../lib/confirm';
import { PAGES, param, replace, restart, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { AmountsBlock } from '../../components/Amounts';
import { ErrorView, Loading } from '../../components/States';

/** Confirms the platform's "ok" with the BFF before saying "paid". */
export default function ResultPage() {
  const { params } = useRouter();
  const orderNo = param(params, 'orderNo') ?? '';
  const outcome = param(params, 'outcome') ?? 'check';
  const platformMessage = param(params, 'message');
  const [order, setOrder] = useState<OrderView | null>(null);
  const [phase, setPhase] = useState<Phase>('confirming');
  const [lastError, setLastError] = useState<unknown>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    const declined = outcome === 'fail' || outcome === 'cancel';
    setPhase('confirming');
    const h = pollOrder(orderNo, setOrder, {
      stopWhen: (o) => isSettled(o) || (declined && PAYABLE.includes(o.state)),
      // after an "ok" the order waits for the centre and the channel: the first request already waits
      ...(declined ? {} : { expect: 'awaiting_payment' as const }),
      onError: setLastError,
    });
    h.done.then(({ order: last, timedOut }) => {
      if (!last) setPhase('error');
      else setPhase(timedOut ? 'timeout' : 'done');
    });
    return () => h.stop();
  }, [orderNo, outcome, round]);

  const w = describe(order, outcome, platformMessage, phase);
  const act: Record<Action, { id: string; label: string; run: () => void }> = {
    refresh: { id: 'result-refresh', label: '刷新结果', run: () => setRound((n) => n + 1) },
    'retry-pay': { id: 'retry-pay', label: '重新支付', run: () => replace(url(PAGES.pay, { orderNo })) },
    home: { id: 'go-home', label: '返回首页', run: () => restart(PAGES.home) },
    order: { id: 'view-order', label: '查看订单', run: () => replace(url(PAGES.order, { orderNo })) },
    orders: { id: 'go-orders', label: '我的订单', run: () => replace(PAGES.orders) },
  };

  if (phase === 'error') {
    return (
      <Page id='page-result' title='支付结果'>
        <View id='result-state' data-state='unknown' data-phase='error'>
          <ErrorView error={lastError} onRetry={() => setRound((n) => n + 1)} />
        </View>
        <Text className='muted'>如果您已经付款，请不要重复支付，稍后在「我的订单」查看。</Text>
      </Page>
    );
  }

  return (
    <Page id='page-result' title='支付结果'>
      <View id='result-state' data-state={order?.state ?? 'unknown'} data-phase={phase} ariaRole='alert' ariaLabel={`${w.heading}。${w.text}`}>
        {phase === 'confirming' ? <Loading text='支付确认中，请稍候…' /> : null}
        <Text className='result__heading' id='result-heading'>
          {w.heading}
        </Text>
        <Text className='result__text' id='result-text'>
          {w.text}
        </Text>
      </View>
      {order && phase !== 'confirming' && (order.state === 'completed' || order.state === 'paid') ? (
        <View id='result-amounts'>
          <AmountsBlock amounts={order.amounts} ids={false} cashLabel={`个人自付（${platform.payChannelName()}）`} selfPay={order.payMode === 'self'} />
        </View>
      ) : null}
      {w.actions.map((a, i) => (
        <Button key={a} id={act[a].id} className={`btn ${i === 0 ? 'btn--primary' : 'btn--secondary'}`} ariaLabel={act[a].label} onClick={act[a].run}>
          {act[a].label}
        </Button>
      ))}
    </Page>
  );
}
