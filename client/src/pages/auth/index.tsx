import { useEffect, useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { platform } from '../../platform';
import { authorizeInsurance, submitAuthCode, type AuthorizeResult } from '../../lib/authorize';
import { useGuardedAction } from '../../lib/hooks';
import { clearPendingAuth, setPendingAuth } from '../../lib/progress';
import { PAGES, backTo, param, restart } from '../../lib/nav';
import { Page } from '../../components/Page';
import { StepError } from '../../components/StepError';
import { Loading, Notice } from '../../components/States';

type View_ = { kind: 'idle' } | { kind: 'working' } | { kind: 'done' } | { kind: 'cancelled'; message?: string } | { kind: 'error'; error: unknown };

/** C11: e-voucher (医保电子凭证) password-free authorization, jump out and back. */
export default function AuthPage() {
  const { params } = useRouter();
  const returnTo = param(params, 'returnTo');
  const [view, setView] = useState<View_>({ kind: 'idle' });
  const { busy, run } = useGuardedAction();

  const finish = (r: AuthorizeResult) => {
    clearPendingAuth();
    setView(r.status === 'authorized' ? { kind: 'done' } : { kind: 'cancelled', message: r.message });
  };

  // Restarted on the way back from the e-voucher mini-program: pick up the code it brought.
  useEffect(() => {
    if (param(params, 'resume') !== '1') return;
    const got = platform.resumeInsuranceAuth();
    if (!got) {
      clearPendingAuth();
      return;
    }
    void run(async () => {
      setView({ kind: 'working' });
      try {
        finish(await submitAuthCode(got));
      } catch (e) {
        clearPendingAuth();
        setView({ kind: 'error', error: e });
      }
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const start = () =>
    run(async () => {
      setPendingAuth(returnTo);
      setView({ kind: 'working' });
      try {
        finish(await authorizeInsurance());
      } catch (e) {
        clearPendingAuth();
        setView({ kind: 'error', error: e });
      }
    });

  const cont = () => (returnTo ? backTo(returnTo) : restart(PAGES.home));

  if (view.kind === 'done') {
    return (
      <Page id='page-auth' title='授权成功'>
        <View id='auth-done' className='card' ariaRole='alert' ariaLabel='医保电子凭证授权成功'>
          <Text className='card__title'>✔ 医保电子凭证授权成功</Text>
          <Text className='card__line'>现在可以用医保支付挂号费和门诊费用了。</Text>
        </View>
        <Button id='auth-continue' className='btn btn--primary' ariaLabel={returnTo ? '继续支付' : '返回首页'} onClick={cont}>
          {returnTo ? '继续支付' : '返回首页'}
        </Button>
      </Page>
    );
  }

  return (
    <Page id='page-auth' title='授权医保电子凭证'>
      <View className='card'>
        <Text className='card__title'>为什么要授权？</Text>
        <Text className='card__line'>用医保支付前，需要您授权医院使用您的医保电子凭证。</Text>
        <Text className='card__line'>点下面的按钮后会打开医保电子凭证页面，按提示确认即可，确认后会自动回到这里。</Text>
        <Text className='card__line'>如果您还没有激活医保电子凭证，也可以在那里激活。</Text>
      </View>
      {view.kind === 'working' ? <Loading text='正在等待授权结果…' /> : null}
      {view.kind === 'cancelled' ? (
        <Notice id='auth-cancelled' kind='warn' label={view.message || '您取消了授权'}>
          {view.message || '您取消了授权。不授权也可以到医院窗口缴费；想用医保支付请再试一次。'}
        </Notice>
      ) : null}
      {view.kind === 'error' ? <StepError id='auth-error' error={view.error} /> : null}
      <Button id='auth-start' className={`btn btn--primary${busy ? ' btn--disabled' : ''}`} disabled={busy} ariaLabel='去授权医保电子凭证' onClick={start}>
        {busy ? '正在授权…' : view.kind === 'idle' ? '去授权' : '重新授权'}
      </Button>
    </Page>
  );
}
