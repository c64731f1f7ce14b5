import { useState } from 'react';
import { View, Button } from '@tarojs/components';
import { ApiError } from '../lib/api';
import { authorizeInsurance } from '../lib/authorize';
import { clearPendingAuth, setPendingAuth } from '../lib/progress';
import { useGuardedAction } from '../lib/hooks';
import { Notice } from './States';

const NEEDS_AUTH = ['AUTHORIZATION_REQUIRED', 'AUTHORIZATION_FAILED', 'FAMILY_PAY_REQUIRED'];

/** The pay step needs a (fresh, or family-pay) authorization: offered right here, not on another page. */
export function needsAuthorization(e: unknown): boolean {
  return e instanceof ApiError && NEEDS_AUTH.includes(e.code);
}

/**
 * The e-voucher authorization inline on the pay page: one tap, the e-voucher page, and back to the
 * same order (`here` is remembered in case the mini-program restarts on the way back). A family
 * member's order asks for 亲情付 (wechatpay-skills 开发参数与业务规则 §五).
 */
export function InlineAuthorize(props: { here: string; familyPay: boolean; onAuthorized: () => void }) {
  const [note, setNote] = useState<string | null>(null);
  const { busy, run } = useGuardedAction();
  const start = () =>
    run(async () => {
      setNote(null);
      setPendingAuth(props.here);
      try {
        const r = await authorizeInsurance({ familyPay: props.familyPay });
        clearPendingAuth();
        if (r.status === 'authorized') props.onAuthorized();
        else setNote(r.message || '您取消了授权，这次没有扣款。想用医保支付请再试一次。');
      } catch (e) {
        clearPendingAuth();
        setNote(e instanceof Error && e.message ? e.message : '授权没有成功，这次没有扣款。请再试一次');
      }
    });
  const what = props.familyPay
    ? '为家人支付需要开通亲情付：用您本人的医保电子凭证为这位家人授权。授权只能用于一笔支付，约 4 分钟内有效。'
    : '用医保支付需要医保电子凭证授权。授权只能用于一笔支付，约 4 分钟内有效，过期后需要重新授权。';
  const label = props.familyPay ? '开通亲情付，继续支付' : '授权医保电子凭证，继续支付';
  return (
    <View id='pay-auth-inline'>
      <Notice id='pay-auth-needed' kind='info' label={what}>
        {what}
      </Notice>
      {note ? (
        <Notice id='pay-auth-note' kind='warn' label={note}>
          {note}
        </Notice>
      ) : null}
      <Button id='pay-authorize' className={`btn btn--primary${busy ? ' btn--disabled' : ''}`} disabled={busy} ariaLabel={label} onClick={start}>
        {busy ? '正在等待授权结果…' : label}
      </Button>
    </View>
  );
}
