import { View, Text, Button } from '@tarojs/components';
import { formatFen } from '@mip/shared/src/money';
import { call } from '../../lib/api';
import { useLoad, useShownAgain } from '../../lib/hooks';
import { shortTime, spokenFen } from '../../lib/labels';
import { PAGES, go, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { Empty, ErrorView, Loading } from '../../components/States';

/** My orders, newest first: state in words, total, time. */
export default function OrdersPage() {
  const state = useLoad(() => call('listOrders'));
  useShownAgain(state.reload);
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
          {state.data.orders.map((o) => (
            <Button
              key={o.orderNo}
              id={`order-${o.orderNo}`}
              className='choice'
              ariaLabel={`${o.title}，${o.stateLabel}，总额${spokenFen(o.amounts.totalFen)}，${shortTime(o.createdAt)}`}
              onClick={() => go(url(PAGES.order, { orderNo: o.orderNo }))}
            >
              <Text className='choice__title'>
                {o.title}
                <Text className='tag' data-state={o.state}>
                  {o.stateLabel}
                </Text>
              </Text>
              <Text className='choice__line'>
                总额 {formatFen(o.amounts.totalFen)} · 自付 {formatFen(o.amounts.cashFen)}
                {o.refunds.length > 0 ? ` · 退款 ${o.refunds.length} 笔` : ''}
              </Text>
              <Text className='choice__line'>{shortTime(o.createdAt)}</Text>
            </Button>
          ))}
        </View>
      ) : null}
    </Page>
  );
}
