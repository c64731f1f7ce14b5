import { View, Text, Button } from '@tarojs/components';
import { formatFen } from '@mip/shared/src/money';
import { call } from '../../lib/api';
import { useLoad, useShownAgain } from '../../lib/hooks';
import { shortTime, spokenFen } from '../../lib/labels';
import { PAGES, go, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { Empty, ErrorView, Loading } from '../../components/States';

/** C13 step 1: the patient's unpaid outpatient bills. */
export default function BillsPage() {
  const state = useLoad(() => call('bills'));
  useShownAgain(state.reload);
  return (
    <Page id='page-bills' title='门诊待缴费用'>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'success' && state.data.bills.length === 0 ? <Empty text='您目前没有待缴的门诊费用。' /> : null}
      {state.status === 'success' && state.data.bills.length > 0 ? (
        <View>
          {state.data.bills.map((b) => (
            <Button
              key={b.billNo}
              id={`bill-${b.billNo}`}
              className='choice'
              ariaLabel={`${b.title}，${b.deptName} ${b.doctorName}，共${b.itemCount}项，${spokenFen(b.totalFen)}`}
              onClick={() => go(url(PAGES.bill, { billNo: b.billNo }))}
            >
              <Text className='choice__title'>
                {b.title} · {formatFen(b.totalFen)}
              </Text>
              <Text className='choice__line'>
                {b.deptName} {b.doctorName} · 共 {b.itemCount} 项
              </Text>
              <Text className='choice__line'>开单时间 {shortTime(b.createdAt)}</Text>
            </Button>
          ))}
        </View>
      ) : null}
    </Page>
  );
}
