import { JsonNumber, buildSignText, canonicalJson, parseJsonKeepingNumbers, toPlain } from './envelope-canonical';

describe('canonical data JSON', () => {
  it('drops null and empty-string members and sorts keys at every level, in the exact sign text', () => {
    const data = {
      tradeStatus: 'SUCCESS',
      payOrdId: 'ORD350100202208231519582000000067',
      amtMerchantId: '',
      amount: '0.00',
      extData: { z: '1', a: null, m: { y: '2', b: '' } },
      outTradeNo: 'T1',
    };
    const fields = { version: '2.0.1', timestamp: 1661239946874, signType: 'SM2', encType: 'SM4', appId: 'APPID0123456789ABCDEF', signData: 'x', encData: 'y', extra: 'z' };
    expect(buildSignText(fields, data, 'SECRET')).toBe(
      'appId=APPID0123456789ABCDEF&data={"amount":"0.00","extData":{"m":{"y":"2"},"z":"1"},"outTradeNo":"T1",' +
        '"payOrdId":"ORD350100202208231519582000000067","tradeStatus":"SUCCESS"}&encType=SM4&signType=SM2' +
        '&timestamp=1661239946874&version=2.0.1&key=SECRET',
    );
  });

  it('keeps array order and sorts the keys of objects inside arrays', () => {
    expect(canonicalJson({ list: [{ b: 2, a: 1 }, 'x', null, { d: '' }] })).toBe('{"list":[{"a":1,"b":2},"x",null,{}]}');
  });

  it('keeps empty arrays and objects unless asked to drop them', () => {
    const data = { a: [], b: {}, c: { d: [] }, e: '1' };
    expect(canonicalJson(data)).toBe('{"a":[],"b":{},"c":{"d":[]},"e":"1"}');
    expect(canonicalJson(data, { dropEmptyContainers: true })).toBe('{"e":"1"}');
  });

  it('writes numbers as strings in the SDK variant', () => {
    expect(canonicalJson({ n: 12.5, ok: true, s: '1' }, { numbersAsStrings: true })).toBe('{"n":"12.5","ok":true,"s":"1"}');
  });

  it('does not escape non-ASCII text', () => {
    expect(canonicalJson({ psnName: '张三' })).toBe('{"psnName":"张三"}');
  });

  it('orders keys by code unit, with integer-like keys treated as text', () => {
    expect(canonicalJson({ a: '1', B: '1', _: '1', 9: '1', 10: '1' })).toBe('{"10":"1","9":"1","B":"1","_":"1","a":"1"}');
  });

  it('refuses values that are not JSON', () => {
    expect(() => canonicalJson({ n: NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(TypeError);
  });

  it('skips empty envelope fields in the sign text', () => {
    expect(buildSignText({ appId: 'A', version: '', timestamp: null }, {}, 'S')).toBe('appId=A&data={}&key=S');
  });
});

describe('JSON parsing for verification', () => {
  it('keeps the source text of numbers so 12.30 is signed as 12.30', () => {
    const v = parseJsonKeepingNumbers('{"amt":12.30,"n":-1e2,"s":"x"}');
    expect(canonicalJson(v)).toBe('{"amt":12.30,"n":-1e2,"s":"x"}');
    expect(canonicalJson(v, { numbersAsStrings: true })).toBe('{"amt":"12.30","n":"-1e2","s":"x"}');
  });

  it('gives the same plain value as JSON.parse', () => {
    const text = ' {"a":[1,2.5,{"b":null,"c":true}],"d":"\\u5f20\\"","__proto__":{"x":1}} ';
    expect(toPlain(parseJsonKeepingNumbers(text))).toEqual(JSON.parse(text));
    expect(parseJsonKeepingNumbers('1')).toEqual(new JsonNumber('1'));
  });

  it('keeps a "__proto__" key as an own member, as JSON.parse does, without touching the prototype', () => {
    const v = parseJsonKeepingNumbers('{"__proto__":{"polluted":"yes"},"a":"b"}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(toPlain(v))).toBe(Object.prototype);
  });

  it('reads strings with and without escapes as JSON.parse does', () => {
    const text = '["plain","中文","a\\b","\\"q\\"","\\u5f20","tab\\t",""]';
    expect(toPlain(parseJsonKeepingNumbers(text))).toEqual(JSON.parse(text));
  });

  it('refuses what JSON.parse refuses', () => {
    for (const bad of ['{"a":1,}', '[1 2]', '{"a":01}', '{a:1}', '"x', '{"a":1} x', '', 'nul', '"a\u0001b"', '"a\tb"', '"\\x"', '{"a":tru}']) {
      expect(() => parseJsonKeepingNumbers(bad)).toThrow(SyntaxError);
    }
  });
});
