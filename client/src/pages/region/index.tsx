import { Text, Button } from '@tarojs/components';
import { call } from '../../lib/api';
import { useLoad } from '../../lib/hooks';
import { setProgress } from '../../lib/progress';
import { PAGES, go, url } from '../../lib/nav';
import { Page } from '../../components/Page';
import { LoadedList } from '../../components/States';

/** C7: the insured regions (参保地) HIS supports; one tap picks one. */
export default function RegionPage() {
  const state = useLoad(() => call('listRegions'));
  return (
    <Page id='page-region' title='请选择您的参保地'>
      <LoadedList state={state} items={state.data?.regions} empty='医院暂未开通医保参保地，请到医院窗口办理缴费。' intro={<Text className='muted'>参保地就是您办理医保的城市或地区。</Text>}
        render={(r) => (
          <Button
            key={r.code}
            id={`region-${r.code}`}
            className='choice'
            ariaLabel={`参保地 ${r.name}`}
            onClick={() => {
              setProgress({ region: r, patient: undefined, benefits: undefined, benefit: undefined, notice: undefined });
              go(url(PAGES.status, { regionCode: r.code }));
            }}
          >
            <Text className='choice__title'>{r.name}</Text>
          </Button>
        )}
      />
    </Page>
  );
}
