// The subset of sm-crypto 0.5 used by interop tests and the benchmark (the package ships no types and
// @types/sm-crypto describes 0.3). Remove this file if @types/sm-crypto is ever added.
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
  export const sm2: {
    generateKeyPairHex(): { privateKey: string; publicKey: string };
    getPublicKeyFromPrivateKey(privateKey: string): string;
    doSignature(msg: string | number[] | Uint8Array, privateKey: string, opts?: SignOptions): string;
    doVerifySignature(msg: string | number[] | Uint8Array, signHex: string, publicKey: string, opts?: VerifyOptions): boolean;
  };
  /** SM4 (default ECB, PKCS#7); key as hex; encrypt answers hex, decrypt UTF-8 text */
  export const sm4: {
    encrypt(input: string | number[], keyHex: string, opts?: { mode?: 'ecb' | 'cbc'; padding?: 'pkcs#7' | 'none'; iv?: string }): string;
    decrypt(inputHex: string, keyHex: string, opts?: { mode?: 'ecb' | 'cbc'; padding?: 'pkcs#7' | 'none'; iv?: string }): string;
  };
}
