// The subset of sm-crypto 0.5 used by the sandbox centre (sandbox/national/sm.ts), the interop tests and the
// benchmark (the package ships no types and @types/sm-crypto describes 0.3). Outside bff/ and sandbox/ so that
// neither reaches into the other for it. Remove this file if @types/sm-crypto is ever added.
declare module 'sm-crypto' {
  interface SignOptions {
    hash?: boolean;
    der?: boolean;
    userId?: string;
    publicKey?: string;
  }
  interface VerifyOptions {
    hash?: boolean;
    der?: boolean;
    userId?: string;
  }
  interface Sm4Options {
    mode?: 'ecb' | 'cbc';
    padding?: 'pkcs#7' | 'pkcs#5' | 'none';
    iv?: string;
  }
  export const sm2: {
    generateKeyPairHex(): { privateKey: string; publicKey: string };
    getPublicKeyFromPrivateKey(privateKey: string): string;
    doSignature(msg: string | number[] | Uint8Array, privateKey: string, opts?: SignOptions): string;
    doVerifySignature(msg: string | number[] | Uint8Array, signHex: string, publicKey: string, opts?: VerifyOptions): boolean;
    verifyPublicKey(publicKey: string): boolean;
  };
  /** SM3; answers hex */
  export function sm3(input: string | number[] | Uint8Array): string;
  /** SM4 (default ECB, PKCS#7); key as hex or bytes; encrypt answers hex (or bytes), decrypt UTF-8 text (or bytes) */
  export const sm4: {
    encrypt(input: string | number[] | Uint8Array, key: string | number[], opts?: Sm4Options & { output?: 'string' }): string;
    encrypt(input: string | number[] | Uint8Array, key: string | number[], opts: Sm4Options & { output: 'array' }): number[];
    decrypt(input: string | number[] | Uint8Array, key: string | number[], opts?: Sm4Options & { output?: 'string' }): string;
    decrypt(input: string | number[] | Uint8Array, key: string | number[], opts: Sm4Options & { output: 'array' }): number[];
  };
}
