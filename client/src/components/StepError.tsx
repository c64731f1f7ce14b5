import type { ReactNode } from 'react';
import { View, Button } from '@tarojs/components';
import { messageOf } from '../lib/api';
import { nextStepFor } from '../lib/next-step';
import { go } from '../lib/nav';
import { Notice } from './States';

/**
 * An error the patient can act on: the message, and when a step is missing (lib/next-step) the
 * button that goes there; `returnTo` brings the patient back afterwards. Children: more choices.
 */
export function StepError({ id, error, returnTo, children }: { id: string; error: unknown; returnTo?: string; children?: ReactNode }) {
  const step = nextStepFor(error, returnTo);
  return (
    <View>
      <Notice id={id} kind='error' label={messageOf(error)}>
        {messageOf(error)}
      </Notice>
      {step ? (
        <Button id='error-action' className='btn btn--secondary' ariaLabel={step.label} onClick={() => go(step.to)}>
          {step.label}
        </Button>
      ) : null}
      {children}
    </View>
  );
}
