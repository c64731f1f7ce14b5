import { useState } from 'react';
import { View, Text, Button, Input } from '@tarojs/components';
import type { ResponseFor } from '../../lib/api';
import { ApiError, call } from '../../lib/api';
import { isValidIdNumber, normalizeIdNumber } from '@mip/shared/src/id-number';
import { useGuardedAction } from '../../lib/hooks';
import { getProgress, setProgress } from '../../lib/progress';
import { setSelfPay } from '../../lib/pay-mode';
import { PAGES, go, restart } from '../../lib/nav';
import { Page } from '../../components/Page';
import { Empty, Notice } from '../../components/States';

type Status = ResponseFor<'insuranceStatus'>;

const NAME_RE = /^[\u4e00-\u9fa5A-Za-z·. ]{1,30}$/;

function inputValue(e: { detail?: { value?: string } }): string {
  return e?.detail?.value ?? '';
}

/** C8: ID number + name → enrolment and benefits; a kind notice when not insured. */
/** A labelled text input of the form (the label is also its spoken name), with its own error under it. */
function FormField(props: {
  label: string;
  id: string;
  type?: 'idcard';
  value: string;
  maxlength: number;
  placeholder: string;
  onInput: (value: string) => void;
  error?: string;
  errorId: string;
}) {
  const { label, type, error } = props;
  return (
    <View className='field'>
      <Text className='field__label'>{label}</Text>
      <Input
        id={props.id}
        className='input'
        {...(type ? { type } : {})}
        value={props.value}
        maxlength={props.maxlength}
        placeholder={props.placeholder}
        ariaLabel={label}
        onInput={(e) => props.onInput(inputValue(e))}
      />
      {error ? (
        <Notice id={props.errorId} kind='error' label={error}>
          {error}
        </Notice>
      ) : null}
    </View>
  );
}

export default function StatusPage() {
  const region = getProgress().region;
  const [name, setName] = useState('');
  const [idNo, setIdNo] = useState('');
  const [fieldError, setFieldError] = useState<{ field: 'name' | 'id'; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Status | null>(null);
  const [notInsured, setNotInsured] = useState<string | null>(null);
  const { busy, run } = useGuardedAction();

  if (!region) {
    return (
      <Page id='page-status' title='核验医保身份'>
        <Empty text='请先选择参保地。'>
          <Button id='choose-region' className='btn btn--primary' ariaLabel='选择参保地' onClick={() => go(PAGES.region)}>
            选择参保地
          </Button>
        </Empty>
      </Page>
    );
  }

  const submit = () =>
    run(async () => {
      setError(null);
      const n = name.trim();
      if (!n || !NAME_RE.test(n)) {
        setFieldError({ field: 'name', message: '请填写与身份证一致的姓名（汉字或字母）' });
        return;
      }
      if (!isValidIdNumber(idNo)) {
        setFieldError({ field: 'id', message: '身份证号码格式不正确，请核对后重新输入（18位，最后一位可能是X）' });
        return;
      }
      setFieldError(null);
      try {
        const res = await call('insuranceStatus', { body: { regionCode: region.code, idNo: normalizeIdNumber(idNo), name: n } });
        if (!res.insured) {
          setNotInsured(res.notice || `未查询到您在${res.region.name}的医保参保信息。`);
          return;
        }
        setProgress({ region: res.region, patient: res.patient, benefits: res.benefits, notice: res.notice, benefit: undefined });
        setResult(res);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'NOT_INSURED') setNotInsured(e.message);
        else if (e instanceof ApiError && e.code === 'INVALID_ID_NUMBER') setFieldError({ field: 'id', message: e.message });
        else setError(e instanceof ApiError ? e.message : '系统繁忙，请稍后重试');
      }
    });

  if (notInsured) {
    return (
      <Page id='page-status' title='没有查到参保信息'>
        <View id='not-insured-notice' className='card' ariaRole='alert' ariaLabel={`没有查到参保信息。${notInsured}`}>
          <Text className='card__title'>{notInsured}</Text>
          <Text className='card__line'>这不影响您看病：您可以自费缴费，或到医院医保窗口咨询。</Text>
          <Text className='card__line'>如果您在其他城市参保，可以换一个参保地再查一次。</Text>
        </View>
        <Button
          id='choose-self-pay'
          className='btn btn--primary'
          ariaLabel='自费看病缴费，挂号和门诊缴费直接用微信或支付宝付款'
          onClick={() => {
            setSelfPay(true);
            restart();
          }}
        >
          自费看病缴费
        </Button>
        <Button id='change-region' className='btn btn--secondary' ariaLabel='换一个参保地' onClick={() => go(PAGES.region)}>
          换一个参保地
        </Button>
        <Button id='retry-status' className='btn btn--secondary' ariaLabel='重新填写' onClick={() => setNotInsured(null)}>
          重新填写
        </Button>
        <Button id='go-home' className='btn btn--secondary' ariaLabel='返回首页' onClick={() => restart()}>
          返回首页
        </Button>
      </Page>
    );
  }

  if (result) {
    return (
      <Page id='page-status' title='已查到您的医保信息'>
        <View id='status-result' className='card'>
          <View className='kv'>
            <Text className='kv__k'>姓名</Text>
            <Text className='kv__v'>{result.patient.nameMasked}</Text>
          </View>
          <View className='kv'>
            <Text className='kv__k'>身份证</Text>
            <Text className='kv__v'>{result.patient.idNoMasked}</Text>
          </View>
          <View className='kv'>
            <Text className='kv__k'>参保地</Text>
            <Text className='kv__v'>{result.region.name}</Text>
          </View>
        </View>
        {result.notice ? (
          <Notice id='status-notice' kind='info' label={result.notice}>
            {result.notice}
          </Notice>
        ) : null}
        <Text className='section-title'>您可以享受的医保待遇</Text>
        {result.benefits.length === 0 ? (
          <Empty text='没有查到可用的医保待遇，请到医院医保窗口咨询。' />
        ) : (
          <View id='status-benefits'>
            {result.benefits.map((b) => (
              <View key={b.code} className='card' ariaLabel={`${b.name}，${b.insutypeName}`}>
                <Text className='card__title'>{b.name}</Text>
                <Text className='card__line'>{b.insutypeName}</Text>
                {b.description ? <Text className='card__line'>{b.description}</Text> : null}
              </View>
            ))}
            <Button id='status-next' className='btn btn--primary' ariaLabel='下一步，选择医保待遇' onClick={() => go(PAGES.benefit)}>
              下一步：选择医保待遇
            </Button>
          </View>
        )}
      </Page>
    );
  }

  return (
    <Page id='page-status' title='核验医保身份'>
      <Text className='muted'>参保地：{region.name}</Text>
      <FormField label='姓名' id='name-input' value={name} maxlength={30} placeholder='请输入姓名' onInput={setName}
        errorId='name-error' error={fieldError?.field === 'name' ? fieldError.message : undefined} />
      <FormField label='身份证号码' id='id-input' type='idcard' value={idNo} maxlength={18} placeholder='18位身份证号码' onInput={setIdNo}
        errorId='id-error' error={fieldError?.field === 'id' ? fieldError.message : undefined} />
      {error ? (
        <Notice id='status-error' kind='error' label={error}>
          {error}
        </Notice>
      ) : null}
      <Button id='status-submit' className={`btn btn--primary${busy ? ' btn--disabled' : ''}`} disabled={busy} ariaLabel='查询参保信息' onClick={submit}>
        {busy ? '正在查询…' : '查询参保信息'}
      </Button>
      <Text className='muted'>您的信息只用于核验医保身份。</Text>
    </Page>
  );
}
