import { useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { call, ensureSession, getConfig } from '../../lib/api';
import { useLoad, useNow, useShownAgain } from '../../lib/hooks';
import { authorizationLine, type AuthorizationState } from '../../lib/authorization';
import { useLargeText } from '../../lib/large-text';
import { getPendingAuth, getProgress, isAuthorized, isVerified, mergeProfile } from '../../lib/progress';
import { PAGES, go, url } from '../../lib/nav';
import { prefersSelfPay } from '../../lib/pay-mode';
import { Page } from '../../components/Page';
import { ErrorView, Loading } from '../../components/States';

/** Home: logs in, then shows the ONE next step (verify → authorize) and the services. */
export default function Home() {
  const [progress, setProgressState] = useState(getProgress);
  const [auth, setAuth] = useState<{ a?: AuthorizationState; at: number }>({ at: 0 });
  const refreshProfile = async () => {
    // what the BFF already knows about this patient; without it the local memory still works
    const profile = await call('insuranceProfile').catch(() => null);
    setProgressState(profile ? mergeProfile(profile) : getProgress());
    setAuth({ a: profile?.authorization, at: Date.now() });
  };
  const state = useLoad(async () => {
    await ensureSession();
    const [config] = await Promise.all([getConfig(), refreshProfile()]);
    // back from the e-voucher mini-program after a restart: finish the authorization first
    const pending = getPendingAuth();
    if (pending) go(url(PAGES.auth, { returnTo: pending.returnTo, resume: 1 }));
    return config;
  });
  useShownAgain(() => {
    setProgressState(getProgress());
    if (state.status === 'success') void refreshProfile();
  });
  const [large, setLarge] = useLargeText();

  const verified = isVerified(progress);
  const now = useNow(auth.a?.state === 'active');
  // the BFF's word when it gave one (never 已完成 for a spent or expired authorization), else our memory
  const line = auth.a ? authorizationLine(auth.a, auth.at, now) : { active: isAuthorized(progress, now), text: isAuthorized(progress, now) ? '已授权' : '未授权' };
  const authorized = line.active;
  // 自费: no insurance steps to take; verifying insurance stays offered
  const selfPay = !verified && prefersSelfPay();
  const ready = (verified && authorized) || selfPay;

  return (
    <Page id='page-home' title={state.status === 'success' ? state.data.hospitalName : '医保缴费'}>
      {state.status === 'loading' ? <Loading text='正在进入，请稍候…' /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'success' ? (
        <View>
          {selfPay ? (
            <View className='card' id='home-self-pay'>
              <Text className='card__title'>您选择了自费缴费</Text>
              <Text className='card__line'>挂号和门诊缴费直接用微信或支付宝付款，不需要医保核验和授权。</Text>
            </View>
          ) : (
            <View className='card' id='home-steps'>
              <Text className='card__title'>用医保支付前的两步</Text>
              <Text className='card__line' id='step-verify-state'>
                第一步 核验医保身份：{verified ? `已完成（${progress.benefit?.name ?? ''}）` : '未完成'}
              </Text>
              <Text className='card__line' id='step-auth-state'>
                第二步 医保电子凭证授权：{line.text}
              </Text>
            </View>
          )}

          {selfPay ? (
            <Button id='start-verify' className='btn btn--secondary' ariaLabel='改用医保，核验医保身份' onClick={() => go(PAGES.region)}>
              改用医保：核验医保身份
            </Button>
          ) : !verified ? (
            <Button id='start-verify' className='btn btn--primary' ariaLabel='第一步，核验医保身份' onClick={() => go(PAGES.region)}>
              第一步：核验医保身份
            </Button>
          ) : !authorized ? (
            <Button id='go-auth' className='btn btn--primary' ariaLabel='第二步，授权医保电子凭证' onClick={() => go(PAGES.auth)}>
              第二步：授权医保电子凭证
            </Button>
          ) : null}

          <Text className='section-title'>我要办理</Text>
          <Button id='go-registration' className={`btn ${ready ? 'btn--primary' : 'btn--secondary'}`} ariaLabel='预约挂号' onClick={() => go(PAGES.departments)}>
            预约挂号
          </Button>
          <Button id='go-outpatient' className={`btn ${ready ? 'btn--primary' : 'btn--secondary'}`} ariaLabel='门诊缴费' onClick={() => go(PAGES.bills)}>
            门诊缴费
          </Button>
          <Button id='go-orders' className='btn btn--secondary' ariaLabel='我的订单' onClick={() => go(PAGES.orders)}>
            我的订单
          </Button>
          <Button id='go-family' className='btn btn--secondary' ariaLabel='就诊人管理，为家人挂号缴费' onClick={() => go(PAGES.family)}>
            就诊人管理（为家人挂号缴费）
          </Button>
          {verified ? (
            <Button id='reverify' className='btn btn--secondary' ariaLabel='重新核验医保身份' onClick={() => go(PAGES.region)}>
              重新核验医保身份
            </Button>
          ) : null}
        </View>
      ) : null}

      <Button
        id='large-text-toggle'
        className='btn btn--secondary'
        ariaLabel={large ? '大字模式已开启，点按关闭' : '大字模式已关闭，点按开启'}
        onClick={() => setLarge(!large)}
      >
        {large ? '大字模式：已开启（点按关闭）' : '大字模式：已关闭（点按开启）'}
      </Button>
    </Page>
  );
}
