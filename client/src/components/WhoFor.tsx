import { useEffect, useState } from 'react';
import { View, Text, Button } from '@tarojs/components';
import type { FamilyMember } from '@mip/shared/src/contract/family';
import { call } from '../lib/api';
import { getProgress } from '../lib/progress';
import { PAGES, go } from '../lib/nav';

/**
 * 就诊人: who this booking (or, purpose 缴费, these bills) is for — oneself or a family member
 * (亲情付 at the pay step). A failed list leaves the booking for oneself.
 */
export function WhoFor(props: { memberId?: string; purpose?: '挂号' | '缴费'; onChange: (memberId: string | undefined) => void }) {
  const purpose = props.purpose ?? '挂号';
  const [members, setMembers] = useState<FamilyMember[]>([]);
  useEffect(() => {
    let alive = true;
    call('listFamily')
      .then((r) => alive && setMembers(r.members))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  const self = getProgress().patient?.nameMasked ?? '';
  const choice = (id: string, label: string, memberId: string | undefined) => {
    const on = props.memberId === memberId;
    return (
      <Button key={id} id={id} className={`choice${on ? ' choice--selected' : ''}`} ariaLabel={`就诊人 ${label}${on ? '，已选' : ''}`} onClick={() => props.onChange(memberId)}>
        <Text className='choice__title'>{on ? `✔ ${label}` : label}</Text>
      </Button>
    );
  };
  return (
    <View id='who-for' className='card'>
      <Text className='card__title'>为谁{purpose}（就诊人）</Text>
      {choice('who-self', `本人 ${self}`, undefined)}
      {members.map((m) => choice(`who-${m.memberId}`, `${m.relationLabel} ${m.nameMasked}`, m.memberId))}
      {members.length === 0 ? (
        <Button id='who-add-family' className='btn btn--secondary' ariaLabel={`为家人${purpose}，先添加家人`} onClick={() => go(PAGES.family)}>
          为家人{purpose}？先添加家人
        </Button>
      ) : null}
    </View>
  );
}
