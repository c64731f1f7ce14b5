import { useState } from 'react';
import { Text, Button } from '@tarojs/components';
import { call } from '../../lib/api';
import { useGuardedAction } from '../../lib/hooks';
import { getProgress, setProgress } from '../../lib/progress';
import { PAGES, go, replace } from '../../lib/nav';
import { Page } from '../../components/Page';
import { StepError } from '../../components/StepError';
import { Empty } from '../../components/States';

/** C9 (+C10 in the BFF): pick one of the benefits the status check returned. */
export default function BenefitPage() {
  const benefits = getProgress().benefits ?? [];
  const [selected, setSelected] = useState<string | null>(benefits.length === 1 ? benefits[0].code : null);
  const [error, setError] = useState<unknown>(null);
  const { busy, run } = useGuardedAction();

  if (benefits.length === 0) {
    return (
      <Page id='page-benefit' title='选择医保待遇'>
        <Empty text='还没有可选择的医保待遇，请先核验医保身份。'>
          <Button id='back-to-status' className='btn btn--primary' ariaLabel='去核验医保身份' onClick={() => go(PAGES.region)}>
            去核验医保身份
          </Button>
        </Empty>
      </Page>
    );
  }

  const confirm = () =>
    run(async () => {
      if (!selected) return;
      setError(null);
      try {
        const res = await call('chooseBenefit', { body: { benefitCode: selected } });
        setProgress({ benefit: res.benefit, region: res.region });
        replace(PAGES.auth);
      } catch (e) {
        setError(e);
      }
    });

  return (
    <Page id='page-benefit' title='请选择本次使用的医保待遇'>
      {benefits.map((b) => {
        const on = b.code === selected;
        return (
          <Button
            key={b.code}
            id={`benefit-${b.code}`}
            className={`choice${on ? ' choice--selected' : ''}`}
            ariaLabel={`${on ? '已选中，' : ''}${b.name}，${b.insutypeName}`}
            onClick={() => setSelected(b.code)}
          >
            <Text className='choice__title'>
              {on ? '✔ ' : ''}
              {b.name}
              {on ? <Text className='tag'>已选中</Text> : null}
            </Text>
            <Text className='choice__line'>{b.insutypeName}</Text>
            {b.description ? <Text className='choice__line'>{b.description}</Text> : null}
          </Button>
        );
      })}
      {error ? <StepError id='benefit-error' error={error} /> : null}
      <Button
        id='benefit-confirm'
        className={`btn btn--primary${!selected || busy ? ' btn--disabled' : ''}`}
        disabled={!selected || busy}
       
        ariaLabel={selected ? '确认使用这个医保待遇' : '请先选择一个医保待遇'}
        onClick={confirm}
      >
        {busy ? '正在提交…' : selected ? '确认选择' : '请先选择一项'}
      </Button>
    </Page>
  );
}
