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
}
