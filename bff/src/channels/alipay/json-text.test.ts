import fc from 'fast-check';
import { topLevelMembers } from './json-text';

describe('exact JSON member text', () => {
  it('returns each top-level value exactly as written, whatever it holds', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const text = `{"x_response":${JSON.stringify(a)},"sign":${JSON.stringify(b)}}`;
        const m = topLevelMembers(text);
        return m.get('x_response') === JSON.stringify(a) && m.get('sign') === JSON.stringify(b);
      }),
    );
  });

  it('keeps escaped slashes, spacing and braces inside strings untouched', () => {
    const text = '{ "a_response" : {"url":"https:\\/\\/x\\/y","t":"}{\\"" , "n": 1 } ,"sign":"abc"}';
    expect(topLevelMembers(text).get('a_response')).toBe('{"url":"https:\\/\\/x\\/y","t":"}{\\"" , "n": 1 }');
  });

  it('refuses text that is not a JSON object', () => {
    expect(() => topLevelMembers('<html>502</html>')).toThrow();
  });
});
