import { canonicalData, formsToTry, signText } from './envelope-sign-text';

describe('the sandbox centre sign text (reference §3.2)', () => {
  it('leaves out null and empty-string members at every level and sorts keys in ordinal order', () => {
    const data = { tradeStatus: 'SUCCESS', amtMerchantId: '', b: null, Z: '1', list: [{ y: '2', x: '' }], 名: '张三' };
    expect(canonicalData(data)).toBe('{"Z":"1","list":[{"y":"2"}],"tradeStatus":"SUCCESS","名":"张三"}');
  });

  it('writes numbers as numbers, or as strings when asked (SYN / FUWU)', () => {
    expect(canonicalData({ amt: 12.5, cnt: 1 })).toBe('{"amt":12.5,"cnt":1}');
    expect(canonicalData({ amt: 12.5, cnt: 1 }, { numbersAsStrings: true })).toBe('{"amt":"12.5","cnt":"1"}');
  });

  it('keeps empty arrays and objects, or leaves them out when asked (TSX)', () => {
    expect(canonicalData({ a: [], b: {}, c: '1' })).toBe('{"a":[],"b":{},"c":"1"}');
    expect(canonicalData({ a: [], b: { d: '' }, c: '1' }, { dropEmpty: true })).toBe('{"c":"1"}');
  });

  it('joins the envelope members but signData, encData and extra, in ordinal order, then the key', () => {
    const env = { version: '2.0.1', timestamp: 1661239946874, signType: 'SM2', encType: 'SM4', appId: 'APP', signData: 's', encData: 'e', extra: 'x', charset: '' };
    expect(signText(env, { amount: '0.00' }, 'SECRET')).toBe(
      'appId=APP&data={"amount":"0.00"}&encType=SM4&signType=SM2&timestamp=1661239946874&version=2.0.1&key=SECRET',
    );
  });

  it('tries the number and empty-container readings only where the data has them', () => {
    expect(formsToTry({ a: '1' })).toEqual([{}]);
    expect(formsToTry({ a: 1, b: [] })).toHaveLength(4);
  });
});
