import { View } from '@tarojs/components';
import type { OrderView } from '@mip/shared/src/contract/schemas';
import { visitLabel } from '../lib/when';
import { Field } from './Field';

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
        <Field label='科室' id='order-department'>
          {order.detail.department}
        </Field>
      ) : null}
      {order.detail.doctor ? (
        <Field label='医生' id='order-doctor'>
          {order.detail.doctor}
        </Field>
      ) : null}
      {order.kind === 'registration' && when ? (
        <Field label='就诊时间' id='order-visit'>
          {when}
        </Field>
      ) : null}
    </View>
  );
}
