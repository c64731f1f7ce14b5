import type { ReactNode } from 'react';
import { View, Text, Button } from '@tarojs/components';
import { messageOf } from '../lib/api';
import { nextStepFor } from '../lib/next-step';
import { go, restart } from '../lib/nav';
import { HelpLine } from './HelpLine';

export function Loading({ text = '正在加载，请稍候…' }: { text?: string }) {
  return (
    <View id='state-loading' className='state state--loading' ariaRole='alert' ariaLabel={text}>
      <View className='spinner' />
      <Text className='state__text'>{text}</Text>
    </View>
  );
}

/** An error the patient can act on: the BFF's Chinese message, then "重试" and/or the missing step. */
export function ErrorView({ error, onRetry, returnTo }: { error: unknown; onRetry?: () => void; returnTo?: string }) {
  const step = nextStepFor(error, returnTo);
  const message = messageOf(error);
  return (
    <View id='state-error' className='state state--error' ariaRole='alert' ariaLabel={`出错了：${message}`}>
      <Text className='state__badge'>出错了</Text>
      <Text className='state__text'>{message}</Text>
      {step ? (
        <Button id='error-action' className='btn btn--primary' ariaLabel={step.label} onClick={() => (step.mode === 'restart' ? restart(step.to) : go(step.to))}>
          {step.label}
        </Button>
      ) : null}
      <HelpLine />
      {onRetry ? (
        <Button id='retry' className={`btn ${step ? 'btn--secondary' : 'btn--primary'}`} ariaLabel='重试' onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </View>
  );
}

export function Empty({ text, children }: { text: string; children?: ReactNode }) {
  return (
    <View id='state-empty' className='state state--empty' ariaRole='alert' ariaLabel={text}>
      <Text className='state__text'>{text}</Text>
      {children}
    </View>
  );
}

/** Inline message under a form or a button (role alert; the leading word carries the meaning, not the colour). */
export function Notice({ id, kind, children, label }: { id?: string; kind: 'error' | 'info' | 'warn'; children: ReactNode; label: string }) {
  const word = kind === 'error' ? '提示' : kind === 'warn' ? '请注意' : '说明';
  return (
    <View id={id} className={`notice notice--${kind}`} ariaRole='alert' ariaLabel={`${word}：${label}`}>
      <Text className='notice__word'>{word}：</Text>
      <Text>{children}</Text>
      {kind === 'error' ? <HelpLine /> : null}
    </View>
  );
}

/**
 * A list page's load as the patient sees it: loading, the error with 重试, the empty text (state--empty), or
 * the items (after `intro`) — `items` is the list in the loaded answer, undefined until it came.
 */
export function LoadedList<I>({
  state,
  items,
  empty,
  intro,
  render,
}: {
  state: { status: 'loading' | 'error' | 'success'; error?: unknown; reload: () => void };
  items: readonly I[] | undefined;
  empty: string;
  intro?: ReactNode;
  render: (item: I) => ReactNode;
}) {
  return (
    <>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorView error={state.error} onRetry={state.reload} /> : null}
      {items && items.length === 0 ? <Empty text={empty} /> : null}
      {items && items.length > 0 ? (
        <View>
          {intro}
          {items.map(render)}
        </View>
      ) : null}
    </>
  );
}
