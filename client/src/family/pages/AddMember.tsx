import { useState } from 'react';
import { View, Text, Button, Input } from '@tarojs/components';
import { isValidIdNumber, normalizeIdNumber } from '@mip/shared/src/id-number';
import type { FamilyRelation } from '@mip/shared/src/contract/family';
import type { Region } from '@mip/shared/src/contract/schemas';
import { ApiError, call, messageOf } from '../../lib/api';
import { useGuardedAction } from '../../lib/hooks';
import { Notice } from '../../components/States';

/** the contract's FAMILY_RELATION_LABELS, copied so the bundle carries no zod (test/pages/family.test.tsx compares) */
export const RELATIONS: Array<{ code: FamilyRelation; label: string }> = [
  { code: 'spouse', label: '配偶' },
  { code: 'parent', label: '父母' },
  { code: 'child', label: '子女' },
  { code: 'sibling', label: '兄弟姐妹' },
  { code: 'other', label: '其他亲属' },
];

const NAME_RE = /^[\u4e00-\u9fa5A-Za-z·. ]{1,30}$/;

const inputValue = (e: { detail?: { value?: string } }): string => e?.detail?.value ?? '';

/** Name, ID number (check digit checked here first, again by the BFF), relation, insured region. */
export function AddMember(props: { regions: Region[]; onAdded: () => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [idNo, setIdNo] = useState('');
  const [relation, setRelation] = useState<FamilyRelation | null>(null);
  const [regionCode, setRegionCode] = useState<string | null>(props.regions.length === 1 ? props.regions[0].code : null);
  const [problem, setProblem] = useState<{ id: string; text: string } | null>(null);
  const { busy, run } = useGuardedAction();

  const submit = () =>
    run(async () => {
      const n = name.trim();
      if (!NAME_RE.test(n)) return setProblem({ id: 'family-name-error', text: '请填写家人与身份证一致的姓名（汉字或字母）' });
      if (!isValidIdNumber(idNo)) return setProblem({ id: 'family-id-error', text: '身份证号码格式不正确，请核对后重新输入（18位，最后一位可能是X）' });
      if (!relation) return setProblem({ id: 'family-relation-error', text: '请选择家人与您的关系' });
      if (!regionCode) return setProblem({ id: 'family-region-error', text: '请选择家人的参保地' });
      setProblem(null);
      try {
        await call('addFamily', { body: { name: n, idNo: normalizeIdNumber(idNo), relation, regionCode } });
        props.onAdded();
      } catch (e) {
        setProblem({ id: e instanceof ApiError && e.code === 'INVALID_ID_NUMBER' ? 'family-id-error' : 'family-add-error', text: messageOf(e) });
      }
    });

  return (
    <View id='family-add-form' className='card'>
      <Text className='card__title'>添加家人</Text>
      <View className='field'>
        <Text className='field__label'>家人姓名</Text>
        <Input id='family-name-input' className='input' value={name} maxlength={30} placeholder='与身份证一致' ariaLabel='家人姓名' onInput={(e) => setName(inputValue(e))} />
      </View>
      <View className='field'>
        <Text className='field__label'>家人身份证号码</Text>
        <Input id='family-id-input' className='input' type='idcard' value={idNo} maxlength={18} placeholder='18位身份证号码' ariaLabel='家人身份证号码' onInput={(e) => setIdNo(inputValue(e))} />
      </View>
      <Text className='field__label'>与您的关系</Text>
      {RELATIONS.map((r) => (
        <Button key={r.code} id={`relation-${r.code}`} className={`choice${relation === r.code ? ' choice--selected' : ''}`} ariaLabel={`关系 ${r.label}${relation === r.code ? '，已选' : ''}`} onClick={() => setRelation(r.code)}>
          <Text className='choice__title'>{relation === r.code ? `✔ ${r.label}` : r.label}</Text>
        </Button>
      ))}
      <Text className='field__label'>家人的参保地</Text>
      {props.regions.map((r) => (
        <Button key={r.code} id={`family-region-${r.code}`} className={`choice${regionCode === r.code ? ' choice--selected' : ''}`} ariaLabel={`参保地 ${r.name}${regionCode === r.code ? '，已选' : ''}`} onClick={() => setRegionCode(r.code)}>
          <Text className='choice__title'>{regionCode === r.code ? `✔ ${r.name}` : r.name}</Text>
        </Button>
      ))}
      {problem ? (
        <Notice id={problem.id} kind='error' label={problem.text}>
          {problem.text}
        </Notice>
      ) : null}
      <Button id='family-add-submit' className={`btn btn--primary${busy ? ' btn--disabled' : ''}`} disabled={busy} ariaLabel='保存家人信息' onClick={submit}>
        {busy ? '正在核对家人的医保信息…' : '保存'}
      </Button>
      <Button id='family-add-cancel' className='btn btn--secondary' ariaLabel='取消添加' onClick={props.onCancel}>
        取消
      </Button>
      <Text className='muted'>家人的姓名和身份证号码只用于挂号和医保支付，加密保存，页面上只显示部分号码。</Text>
    </View>
  );
}
