import Taro from '@tarojs/taro';
import { platform } from '../platform';

/** JSON values in the platform's storage; keys are scoped to the current patient identity. */
function scoped(key: string): string {
  return `mip.${platform.identityKey()}.${key}`;
}

export function readGlobal<T>(key: string): T | undefined {
  try {
    const v = Taro.getStorageSync(`mip.${key}`);
    return v === '' || v === undefined || v === null ? undefined : (v as T);
  } catch {
    return undefined;
  }
}

export function writeGlobal(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(`mip.${key}`, value);
  } catch {
    /* storage full or unavailable: the app still works, it just forgets */
  }
}

export function read<T>(key: string): T | undefined {
  try {
    const v = Taro.getStorageSync(scoped(key));
    return v === '' || v === undefined || v === null ? undefined : (v as T);
  } catch {
    return undefined;
  }
}

export function write(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(scoped(key), value);
  } catch {
    /* see writeGlobal */
  }
}

export function remove(key: string): void {
  try {
    Taro.removeStorageSync(scoped(key));
  } catch {
    /* ignore */
  }
}
