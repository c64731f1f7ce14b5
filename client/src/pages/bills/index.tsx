import { useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { formatFen } from '@mip/shared/src/money';
import { call } from '../../lib/api';
import { useLoad, useShownAgain } from '../../lib/hooks';
import { shortTime, spokenFen } from '../../lib/labels';
import { PAGES, go, param, url } from '../../lib/nav';
import { WhoFor } from '../../components/WhoFor';
import { Page } from '../../components/Page';
import { LoadedList } from '../../components/States';

/**
 * C13 step 1: the unpaid outpatient bills of the patient or of a family member (就诊人, by the
 * opaque memberId); a bill one of the patient's unpaid orders holds links to that order.
 */
export default function BillsPage() {
  const { params } = useRouter();
  const [memberId, setMemberId] = useState<string | undefined>(param(params, 'memberId'));
  const state = useLoad(() => call('bills', { query: { memberId } }), [memberId]);
  useShownAgain(state.reload);
  return (
    <Page id='page-bills' title='门诊待缴费用'>
      <WhoFor memberId={memberId} purpose='缴费' onChange={setMemberId} />
      <LoadedList state={state} items={state.data?.bills} empty='您目前没有待缴的门诊费用。'
        render={(b) => (
          <View key={b.billNo}>
            <Button
              id={`bill-${b.billNo}`}
              className='choice'
              ariaLabel={`${b.title}，${b.deptName} ${b.doctorName}，共${b.itemCount}项，${spokenFen(b.totalFen)}`}
              onClick={() => go(url(PAGES.bill, { billNo: b.billNo, memberId }))}
            >
              <Text className='choice__title'>
                {b.title} · {formatFen(b.totalFen)}
              </Text>
              <Text className='choice__line'>
                {b.deptName} {b.doctorName} · 共 {b.itemCount} 项
              </Text>
              <Text className='choice__line'>开单时间 {shortTime(b.createdAt)}</Text>
            </Button>
            {b.heldByOrderNo ? (
              <Button
                id={`bill-held-${b.billNo}`}
                className='btn btn--secondary'
                ariaLabel='这笔费用已在您的另一笔订单里，查看那笔订单'
                onClick={() => go(url(PAGES.order, { orderNo: b.heldByOrderNo }))}
              >
                已在订单中待支付，查看那笔订单
              </Button>
            ) : null}
          </View>
        )}
      />
    </Page>
  );
}
