import { View, Text } from '@tarojs/components';
import type { OrderView } from '@mip/shared/src/contract/schemas';
import { visitLabel } from '../lib/when';

/** Department, doctor and visit time of an order, the same on every page. */
export function visitLine(o: OrderView, now = Date.now()): string {
  const who = [o.detail.department, o.detail.doctor].filter(Boolean).join(' ');
  const when = o.kind === 'registration' ? visitLabel(o.detail.visitTime, now) : '';
  return [who, when].filter(Boolean).join(' · ');
}

export function OrderVisitRows({ order, now }: { order: OrderView; now: number }) {
  const when = visitLabel(order.detail.visitTime, now);
  return (
    <View>
      {order.detail.department ? (
        <View className='kv'>
          <Text className='kv__k'>科室</Text>
          <Text className='kv__v' id='order-department'>
            {order.detail.department}
          </Text>
        </View>
      ) : null}
      {order.detail.doctor ? (
        <View className='kv'>
          <Text className='kv__k'>医生</Text>
          <Text className='kv__v' id='order-doctor'>
            {order.detail.doctor}
          </Text>
        </View>
      ) : null}
      {order.kind === 'registration' && when ? (
        <View className='kv'>
          <Text className='kv__k'>就诊时间</Text>
          <Text className='kv__v' id='order-visit'>
            {when}
          </Text>
        </View>
      ) : null}
    </View>
  );
}
