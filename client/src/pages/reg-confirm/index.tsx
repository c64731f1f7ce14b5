import { useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { formatFen } from '@mip/shared/src/money';
import { ApiError } from '../../lib/api';
import { createOrderOnce } from '../../lib/attempt';
import { payModeField, prefersSelfPay, type PayMode } from '../../lib/pay-mode';
import { PayModeButtons } from '../../components/PayModeButtons';
import { useGuardedAction } from '../../lib/hooks';
import { getSelection, setSelection } from '../../lib/progress';
import { WhoFor } from '../../components/WhoFor';
import { PAGES, back, go, param, replace, url } from '../../lib/nav';
import { sessionLabel } from '../../lib/when';
import { Page } from '../../components/Page';
import { StepError } from '../../components/StepError';
import { Empty } from '../../components/States';

/** C14 step 4: check the booking, then create the order (HIS pre-settlement) and go to pay. */
export default function RegConfirmPage() {
  const { params } = useRouter();
  const sel = getSelection();
  const slotId = param(params, 'slotId') ?? sel.slot?.slotId;
  const [error, setError] = useState<unknown>(null);
  const [memberId, setMemberId] = useState<string | undefined>(sel.memberId);
  const { busy, run } = useGuardedAction();

  if (!slotId || !sel.slot || sel.slot.slotId !== slotId) {
    return (
      <Page id='page-reg-confirm' title='确认挂号'>
        <Empty text='没有找到您选择的号源，请重新选择。'>
          <Button id='choose-again' className='btn btn--primary' ariaLabel='重新选择科室' onClick={() => replace(PAGES.departments)}>
            重新选择
          </Button>
        </Empty>
      </Page>
    );
  }
  const slot = sel.slot;
  const here = url(PAGES.regConfirm, { slotId });

  const confirm = (mode: PayMode) =>
    run(async () => {
      setError(null);
      try {
        const order = await createOrderOnce({ kind: 'registration', slotId, ...(memberId ? { memberId } : {}), ...payModeField(mode) });
        replace(url(PAGES.pay, { orderNo: order.orderNo }));
      } catch (e) {
        setError(e);
      }
    });

  const slotGone = error instanceof ApiError && error.code === 'SLOT_UNAVAILABLE';
  return (
    <Page id='page-reg-confirm' title='请确认挂号信息'>
      <View id='reg-summary' className='card'>
        <View className='kv'>
          <Text className='kv__k'>科室</Text>
          <Text className='kv__v'>{sel.dept?.name ?? ''}</Text>
        </View>
        <View className='kv'>
          <Text className='kv__k'>医生</Text>
          <Text className='kv__v'>
            {sel.doctor?.name ?? ''} {sel.doctor?.title ?? ''}
          </Text>
        </View>
        <View className='kv'>
          <Text className='kv__k'>就诊时间</Text>
          <Text className='kv__v'>
            {sessionLabel(slot)}
          </Text>
        </View>
        {sel.dept?.location ? (
          <View className='kv'>
            <Text className='kv__k'>就诊地点</Text>
            <Text className='kv__v'>{sel.dept.location}</Text>
          </View>
        ) : null}
        <View className='kv'>
          <Text className='kv__k'>挂号费用合计</Text>
          <Text className='kv__v' id='reg-fee'>
            {formatFen(slot.feeFen)}
          </Text>
        </View>
      </View>
      <WhoFor
        memberId={memberId}
        onChange={(m) => {
          setMemberId(m);
          setSelection({ memberId: m });
          setError(null);
        }}
      />
      {prefersSelfPay() ? null : <Text className='muted'>下一步由医保中心核算报销金额，并显示您需要自付的金额。</Text>}
      {error ? (
        <StepError id='reg-error' error={error} returnTo={here}>
        {slotGone ? (
          <Button id='choose-again' className='btn btn--secondary' ariaLabel='重新选择时间' onClick={() => back(PAGES.departments)}>
            重新选择时间
          </Button>
        ) : null}
        </StepError>
      ) : null}
      <PayModeButtons id='confirm-registration' label='确认挂号，去支付' busy={busy} disabled={slotGone} onPay={confirm} />
    </Page>
  );
}
