import type { ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { useLargeText } from '../lib/large-text';

/** Every page's root: carries the large-text class (CSS variables in app.css switch the sizes). */
export function Page({ id, title, children }: { id: string; title?: string; children: ReactNode }) {
  const [large] = useLargeText();
  return (
    <View id={id} className={`page${large ? ' page--large' : ''}`}>
      {title ? (
        <View className='page__title' ariaRole='heading' ariaLabel={title}>
          <Text>{title}</Text>
        </View>
      ) : null}
      {children}
    </View>
  );
}
