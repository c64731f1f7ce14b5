import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { formatFen } from '@mip/shared/src/money';
import { call } from '../../lib/api';
import { createOrderOnce } from '../../lib/attempt';
import { payModeField, prefersSelfPay, type PayMode } from '../../lib/pay-mode';
import { PayModeButtons } from '../../components/PayModeButtons';
import { useGuardedAction, useLoad } from '../../lib/hooks';
import { shortTime, spokenFen } from '../../lib/labels';
import { PAGES, go, param, replace, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { StepError } from '../../components/StepError';
import { Empty, ErrorView, Loading } from '../../components/States';

/** C13 step 2: one bill's fee items, then create the order and go to pay. */
export default function BillPage() {
  const { params } = useRouter();
  const billNo = param(params, 'billNo') ?? '';
  /** a family member's bill (就诊人, opaque id from the bills page) */
  const memberId = param(params, 'memberId');
  const state = useLoad(() => call('bill', { params: { billNo }, query: { memberId } }), [billNo, memberId]);
  const [error, setError] = useState<unknown>(null);
  const { busy, run } = useGuardedAction();
  const here = url(PAGES.bill, { billNo, memberId });

  const pay = (mode: PayMode) =>
    run(async () => {
      setError(null);
      try {
        const order = await createOrderOnce({ kind: 'outpatient', billNos: [billNo], ...(memberId ? { memberId } : {}), ...payModeField(mode) });
        replace(url(PAGES.pay, { orderNo: order.orderNo }));
      } catch (e) {
        setError(e);
      }
    });

  return (
    <Page id='page-bill' title='费用明细'>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} returnTo={here} /> : null}
      {state.status === 'success' && state.data.bill.items.length === 0 ? <Empty text='这张单据没有费用明细，请到医院窗口咨询。' /> : null}
      {state.status === 'success' && state.data.bill.items.length > 0 ? (
        <View>
          <View className='card'>
            <Text className='card__title'>{state.data.bill.title}</Text>
            <Text className='card__line'>
              {state.data.bill.deptName} {state.data.bill.doctorName} · 开单时间 {shortTime(state.data.bill.createdAt)}
            </Text>
          </View>
          <View className='card' id='bill-items'>
            {state.data.bill.items.map((it, i) => (
              <View
                key={`${it.code}-${i}`}
                className='item'
                ariaLabel={`${it.name}，数量${it.quantity}${it.unit ?? ''}，单价${spokenFen(it.unitPriceFen)}，金额${spokenFen(it.amountFen)}，${it.category}`}
              >
                <View className='item__top'>
                  <Text>{it.name}</Text>
                  <Text>{formatFen(it.amountFen)}</Text>
                </View>
                <Text className='item__line'>
                  {it.spec ? `${it.spec} · ` : ''}
                  {it.quantity}
                  {it.unit ?? ''} × {formatFen(it.unitPriceFen)} · {it.category}
                </Text>
              </View>
            ))}
            <View className='kv' ariaLabel={`合计${spokenFen(state.data.bill.totalFen)}`}>
              <Text className='kv__k'>合计（{state.data.bill.itemCount} 项）</Text>
              <Text className='kv__v' id='bill-total'>
                {formatFen(state.data.bill.totalFen)}
              </Text>
            </View>
          </View>
          {prefersSelfPay() ? null : <Text className='muted'>下一步会显示医保报销和需要您自付的金额。</Text>}
          {error ? <StepError id='bill-error' error={error} returnTo={here} /> : null}
          <PayModeButtons id='bill-pay' label='去缴费' busy={busy} onPay={pay} />
        </View>
      ) : null}
    </Page>
  );
}
