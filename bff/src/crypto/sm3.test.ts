import { sm3 } from './sm3';

describe('SM3', () => {
  it('hashes "abc" to the GB/T 32905 example digest', () => {
    expect(sm3('abc').toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('hashes the 512-bit GB/T 32905 example ("abcd" sixteen times) to its published digest', () => {
    expect(sm3('abcd'.repeat(16)).toString('hex')).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('hashes several parts as their concatenation', () => {
    expect(sm3('a', Buffer.from('b'), new Uint8Array([0x63]))).toEqual(sm3('abc'));
  });
});
