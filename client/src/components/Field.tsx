import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';

/** One "label — value" row of a card (.kv); `id` marks the value for tests and screen readers. */
export function Field({ label, id, ariaLabel, children }: { label: string; id?: string; ariaLabel?: string; children: ReactNode }) {
  return (
    <View className='kv' ariaLabel={ariaLabel}>
      <Text className='kv__k'>{label}</Text>
      <Text className='kv__v' id={id}>
        {children}
      </Text>
    </View>
  );
}

/** The payment deadline row: how long is left before the unpaid order is cancelled. */
export function DeadlineField({ id, remaining }: { id: string; remaining: string }) {
  return (
    <Field label='支付剩余时间' id={id} ariaLabel={`请在${remaining}内支付，超时订单自动取消`}>
      {remaining}
    </Field>
  );
}
