import { useEffect, useState } from 'react';
import { Text } from '@tarojs/components';
import { getConfig } from '../lib/api';

/** "如需帮助，请拨打医院服务电话 …" under every error: the phone from the BFF's configuration. */
export function HelpLine() {
  const [phone, setPhone] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    getConfig().then(
      (c) => live && setPhone(c.servicePhone),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <Text className='help-line' id='help-line'>
      {phone ? `如需帮助，请拨打医院服务电话 ${phone}，或到医院窗口咨询。` : '如需帮助，请到医院窗口咨询。'}
    </Text>
  );
}
