import { View, Text } from '@tarojs/components';
import type { Amounts } from '@mip/shared/src/contract/schemas';
import { formatFen } from '@mip/shared/src/money';
import { spokenFen } from '../lib/labels';

export function AmountLine({ id, label, fen, level }: { id?: string; label: string; fen: number; level: 'total' | 'part' | 'sub' | 'cash' }) {
  return (
    <View className={`amount amount--${level}`} ariaRole='text' ariaLabel={`${label}${spokenFen(fen)}`}>
      <Text className='amount__label'>{label}</Text>
      <Text id={id} className='amount__value'>
        {formatFen(fen)}
      </Text>
    </View>
  );
}

/**
 * The national mobile-payment page order: total first and largest, then the insurance part with
 * its two components, then what the patient pays now in WeChat/Alipay.
 */
export function AmountsBlock({ amounts, cashLabel = '个人自付（微信/支付宝支付）', ids = true, selfPay = false }: { amounts: Amounts; cashLabel?: string; ids?: boolean; selfPay?: boolean }) {
  const other = amounts.otherFundFen ?? 0;
  const hospital = amounts.hospitalFen ?? 0;
  const insurance = amounts.fundFen + amounts.acctFen + other;
  // 自费: the whole amount in WeChat/Alipay, no insurance rows
  if (selfPay) {
    return (
      <View className='amounts'>
        <AmountLine id={ids ? 'amount-self' : undefined} label={cashLabel.replace('个人自付', '自费')} fen={amounts.totalFen} level='total' />
      </View>
    );
  }
  return (
    <View className='amounts'>
      <AmountLine id={ids ? 'amount-total' : undefined} label='费用总额' fen={amounts.totalFen} level='total' />
      <View className='amounts__group'>
        <AmountLine id={ids ? 'amount-insurance' : undefined} label='医保支付' fen={insurance} level='part' />
        <AmountLine id={ids ? 'amount-fund' : undefined} label='其中 统筹基金' fen={amounts.fundFen} level='sub' />
        <AmountLine id={ids ? 'amount-acct' : undefined} label='其中 个人账户' fen={amounts.acctFen} level='sub' />
        {/* 6202 othFeeAmt (SYN Trade6202OutData): shown only where the centre paid one */}
        {other > 0 ? <AmountLine id={ids ? 'amount-other' : undefined} label='其中 其他基金' fen={other} level='sub' /> : null}
      </View>
      {/* 6202 hospPartAmt: the hospital bears it, the patient is never charged it */}
      {hospital > 0 ? <AmountLine id={ids ? 'amount-hospital' : undefined} label='医院减免' fen={hospital} level='part' /> : null}
      <AmountLine id={ids ? 'amount-cash' : undefined} label={cashLabel} fen={amounts.cashFen} level='cash' />
    </View>
  );
}
