import { Text, Button } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { call } from '../../lib/api';
import { useLoad } from '../../lib/hooks';
import { getSelection, setSelection } from '../../lib/progress';
import { PAGES, go, param, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { LoadedList } from '../../components/States';

/** C14 step 2: doctor (those without free slots are shown, marked in words, and not tappable). */
export default function DoctorsPage() {
  const { params } = useRouter();
  const deptCode = param(params, 'deptCode') ?? getSelection().dept?.code ?? '';
  const deptName = getSelection().dept?.name;
  const state = useLoad(() => call('doctors', { params: { deptCode } }), [deptCode]);
  return (
    <Page id='page-doctors' title={deptName ? `${deptName} · 选择医生` : '请选择医生'}>
      <LoadedList state={state} items={state.data?.doctors} empty='这个科室暂时没有可挂号的医生，请换一个科室。'
        render={(d) => (
          <Button
            key={d.code}
            id={`doctor-${d.code}`}
            className={`choice${d.available ? '' : ' choice--disabled'}`}
            disabled={!d.available}
            ariaLabel={`${d.name}，${d.title}${d.available ? '' : '，已约满'}`}
            onClick={() => {
              if (!d.available) return;
              setSelection({ doctor: { code: d.code, name: d.name, title: d.title }, slot: undefined });
              go(url(PAGES.slots, { doctorCode: d.code }));
            }}
          >
            <Text className='choice__title'>
              {d.name}
              <Text className='tag'>{d.title}</Text>
              {d.available ? null : <Text className='tag'>已约满</Text>}
            </Text>
            {d.specialty ? <Text className='choice__line'>擅长：{d.specialty}</Text> : null}
          </Button>
        )}
      />
    </Page>
  );
}
