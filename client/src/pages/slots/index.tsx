import { View, Text, Button } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { formatFen } from '@mip/shared/src/money';
import { call } from '../../lib/api';
import { useLoad } from '../../lib/hooks';
import { spokenFen } from '../../lib/labels';
import { isPastSession, sessionLabel } from '../../lib/when';
import { getSelection, setSelection } from '../../lib/progress';
import { PAGES, go, param, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { Empty, ErrorView, Loading } from '../../components/States';

/** C14 step 3: the time slot (date, half-day, time, fee, how many left). */
export default function SlotsPage() {
  const { params } = useRouter();
  const doctorCode = param(params, 'doctorCode') ?? getSelection().doctor?.code ?? '';
  const doctor = getSelection().doctor;
  const state = useLoad(() => call('slots', { params: { doctorCode } }), [doctorCode]);
  return (
    <Page id='page-slots' title={doctor ? `${doctor.name} · 选择时间` : '请选择就诊时间'}>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'success' && state.data.slots.length === 0 ? <Empty text='这位医生近期没有可预约的时间，请选择其他医生。' /> : null}
      {state.status === 'success' && state.data.slots.length > 0 ? (
        <View>
          {state.data.slots.map((s) => {
            const past = isPastSession(s);
            const full = past || s.remaining <= 0;
            const when = sessionLabel(s);
            const left = past ? '已过就诊时间' : s.remaining <= 0 ? '已约满' : `剩余 ${s.remaining} 个号`;
            return (
              <Button
                key={s.slotId}
                id={`slot-${s.slotId}`}
                className={`choice${full ? ' choice--disabled' : ''}`}
                disabled={full}
                ariaLabel={`${when}，挂号费用合计${spokenFen(s.feeFen)}，${left}`}
                onClick={() => {
                  if (full) return;
                  setSelection({ slot: s });
                  go(url(PAGES.regConfirm, { slotId: s.slotId }));
                }}
              >
                <Text className='choice__title'>{when}</Text>
                <Text className='choice__line'>
                  挂号费用合计 {formatFen(s.feeFen)} · {left}
                </Text>
              </Button>
            );
          })}
        </View>
      ) : null}
    </Page>
  );
}
