import { View, Text, Button } from '@tarojs/components';
import { formatFen } from '@mip/shared/src/money';
import { call } from '../../lib/api';
import { useLoad, useNow, useReloadWhen, useShownAgain } from '../../lib/hooks';
import { shortTime, spokenFen } from '../../lib/labels';
import { PAGES, go, url } from '../../lib/nav';
import { orderStatus } from '../../lib/order-status';
import { Page } from '../../components/Page';
import { visitLine } from '../../components/OrderVisit';
import { Empty, ErrorView, Loading } from '../../components/States';

/**
 * My orders, newest first: what each was for (department, doctor, visit day and period), its one
 * truthful state (支付确认中 when the patient paid in the sheet and the BFF has not heard yet),
 * the time left to pay an unpaid one, the amounts.
 */
export default function OrdersPage() {
  const state = useLoad(() => call('listOrders'));
  useShownAgain(state.reload);
  const orders = state.status === 'success' ? state.data.orders : [];
  const now = useNow(orders.some((o) => !!o.payBefore));
  const lapsedCount = orders.filter((o) => orderStatus(o, now).lapsed).length;
  useReloadWhen(lapsedCount, state.reload);
  return (
    <Page id='page-orders' title='我的订单'>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'success' && state.data.orders.length === 0 ? (
        <Empty text='您还没有订单。'>
          <Button id='go-home' className='btn btn--primary' ariaLabel='返回首页' onClick={() => go(PAGES.home)}>
            返回首页
          </Button>
        </Empty>
      ) : null}
      {state.status === 'success' && state.data.orders.length > 0 ? (
        <View>
          {state.data.orders.map((o) => {
            const st = orderStatus(o, now);
            const visit = visitLine(o, now);
            const pending = st.confirming ? '请不要重复支付，确认后会显示结果' : st.remaining ? `请在 ${st.remaining} 内支付，超时自动取消` : '';
            return (
              <Button
                key={o.orderNo}
                id={`order-${o.orderNo}`}
                className='choice'
                ariaLabel={`${o.title}，${o.patient.relationLabel ? `就诊人${o.patient.relationLabel}${o.patient.nameMasked}，` : ''}${st.label}，${visit ? `${visit}，` : ''}总额${spokenFen(o.amounts.totalFen)}，${pending ? `${pending}，` : ''}下单时间${shortTime(o.createdAt)}`}
                onClick={() => go(url(PAGES.order, { orderNo: o.orderNo }))}
              >
                <Text className='choice__title'>
                  {o.title}
                  <Text className='tag' data-state={st.confirming ? 'confirming' : o.state}>
                    {st.label}
                  </Text>
                </Text>
                {visit ? <Text className='choice__line'>{visit}</Text> : null}
                {o.patient.relationLabel ? <Text className='choice__line'>就诊人：{o.patient.relationLabel} {o.patient.nameMasked}</Text> : null}
                <Text className='choice__line'>
                  总额 {formatFen(o.amounts.totalFen)} · 自付 {formatFen(o.amounts.cashFen)}
                  {o.refunds.length > 0 ? ` · 退款 ${o.refunds.length} 笔` : ''}
                </Text>
                {pending ? <Text className='choice__line order-pending'>{pending}</Text> : null}
                <Text className='choice__line'>下单 {shortTime(o.createdAt)}</Text>
              </Button>
            );
          })}
        </View>
      ) : null}
    </Page>
  );
}
