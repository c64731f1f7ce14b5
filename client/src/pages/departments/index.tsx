import { Text, Button } from '@tarojs/components';
import { call } from '../../lib/api';
import { useLoad } from '../../lib/hooks';
import { setSelection } from '../../lib/progress';
import { PAGES, go, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { LoadedList } from '../../components/States';

/** C14 step 1: department. */
export default function DepartmentsPage() {
  const state = useLoad(() => call('departments'));
  return (
    <Page id='page-departments' title='请选择科室'>
      <LoadedList state={state} items={state.data?.departments} empty='今天暂无可挂号的科室，请到医院窗口咨询。'
        render={(d) => (
          <Button
            key={d.code}
            id={`dept-${d.code}`}
            className='choice'
            ariaLabel={`${d.name}${d.location ? `，位置 ${d.location}` : ''}`}
            onClick={() => {
              setSelection({ dept: d, doctor: undefined, slot: undefined });
              go(url(PAGES.doctors, { deptCode: d.code }));
            }}
          >
            <Text className='choice__title'>{d.name}</Text>
            {d.location ? <Text className='choice__line'>位置：{d.location}</Text> : null}
          </Button>
        )}
      />
    </Page>
  );
}
