import { Button, Text, View } from '@tarojs/components';
import { isVerified } from '../lib/progress';
import { prefersSelfPay, type PayMode } from '../lib/pay-mode';

/**
 * The choice "使用医保 / 自费支付" before an order is made. The main button pays the way the
 * patient chose (自费 when they said so, else 医保); the second one offers the other way — 自费
 * always, 医保 only when the insurance identity is verified.
 */
export function PayModeButtons({ id, label, busy, disabled = false, onPay }: { id: string; label: string; busy: boolean; disabled?: boolean; onPay: (mode: PayMode) => void }) {
  const off = busy || disabled;
  const main: PayMode = prefersSelfPay() ? 'self' : 'insurance';
  const other: PayMode | undefined = main === 'insurance' ? 'self' : isVerified() ? 'insurance' : undefined;
  const mainText = main === 'self' ? `${label}（自费）` : label;
  return (
    <View>
      {main === 'self' ? (
        <Text className='muted' id='self-pay-note'>
          本次不用医保，费用全部用微信或支付宝自费支付。
        </Text>
      ) : null}
      <Button id={id} className={`btn btn--primary${off ? ' btn--disabled' : ''}`} disabled={off} ariaLabel={mainText} onClick={() => onPay(main)}>
        {busy ? '正在提交…' : mainText}
      </Button>
      {other && !disabled ? (
        <Button
          id={other === 'self' ? 'pay-self' : 'pay-insurance'}
          className={`btn btn--secondary${off ? ' btn--disabled' : ''}`}
          disabled={off}
          ariaLabel={other === 'self' ? '不用医保，自费支付' : '使用医保支付'}
          onClick={() => onPay(other)}
        >
          {other === 'self' ? '不用医保，自费支付' : '使用医保支付'}
        </Button>
      ) : null}
    </View>
  );
}
