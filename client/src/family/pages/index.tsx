import { useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import type { FamilyMember } from '@mip/shared/src/contract/family';
import { call, messageOf } from '../../lib/api';
import { useGuardedAction, useLoad } from '../../lib/hooks';
import { Page } from '../../components/Page';
import { Empty, ErrorView, Loading, Notice } from '../../components/States';
import { AddMember } from './AddMember';

/**
 * 就诊人管理: the family members this patient books and pays for. A relative's insurance is used
 * through the e-voucher's family-pay authorization (亲情付), asked for on the pay page.
 */
export default function FamilyPage() {
  const state = useLoad(async () => {
    const [family, { regions }] = await Promise.all([call('listFamily'), call('listRegions')]);
    return { ...family, regions };
  });
  const [adding, setAdding] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { busy, run } = useGuardedAction();

  const remove = (m: FamilyMember) =>
    run(async () => {
      if (confirmRemove !== m.memberId) return setConfirmRemove(m.memberId);
      setError(null);
      try {
        await call('removeFamily', { params: { memberId: m.memberId } });
        setConfirmRemove(null);
        state.reload();
      } catch (e) {
        setError(e);
      }
    });

  const data = state.status === 'success' ? state.data : null;
  return (
    <Page id='page-family' title='就诊人管理'>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {data ? (
        <View>
          <Text className='muted'>添加家人后，可以为家人挂号并用亲情付（家人的医保）支付。最多添加 {data.max} 位。</Text>
          {data.members.length === 0 && !adding ? <Empty text='还没有添加家人。' /> : null}
          {data.members.map((m) => (
            <View key={m.memberId} id={`member-${m.memberId}`} className='card' ariaLabel={`${m.relationLabel} ${m.nameMasked}`}>
              <Text className='card__title'>
                {m.relationLabel}：{m.nameMasked}
              </Text>
              <Text className='card__line'>身份证：{m.idNoMasked}</Text>
              <Text className='card__line'>
                参保地：{m.region.name}，{m.insured ? `医保可用（${m.benefitName ?? '医保'}），支付时需开通亲情付` : '没有查到医保信息，可到医院窗口自费办理'}
              </Text>
              <Button
                id={`remove-${m.memberId}`}
                className='btn btn--secondary'
                disabled={busy}
                ariaLabel={confirmRemove === m.memberId ? `确认删除${m.relationLabel}${m.nameMasked}` : `删除${m.relationLabel}${m.nameMasked}`}
                onClick={() => remove(m)}
              >
                {confirmRemove === m.memberId ? '确认删除（再点一次）' : '删除'}
              </Button>
            </View>
          ))}
          {error ? (
            <Notice id='family-error' kind='error' label={messageOf(error)}>
              {messageOf(error)}
            </Notice>
          ) : null}
          {adding ? (
            <AddMember
              regions={data.regions}
              onAdded={() => {
                setAdding(false);
                state.reload();
              }}
              onCancel={() => setAdding(false)}
            />
          ) : data.members.length < data.max ? (
            <Button id='family-add' className='btn btn--primary' ariaLabel='添加家人' onClick={() => setAdding(true)}>
              添加家人
            </Button>
          ) : (
            <Notice id='family-full' kind='info' label={`已添加 ${data.max} 位家人，如需添加请先删除一位`}>
              已添加 {data.max} 位家人，如需添加请先删除一位。
            </Notice>
          )}
        </View>
      ) : null}
    </Page>
  );
}
