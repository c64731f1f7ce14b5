import type { FaultBook } from '../common/faults';
import type { Notifier } from '../wechat/notifier';
import type { AlipaySandboxConfig } from './config';
import type { AlipaySide } from './crypto';
import type { AlipayState } from './state';
import type { UserDirectory } from './users';

export interface AlipayCtx {
  cfg: AlipaySandboxConfig;
  state: AlipayState;
  faults: FaultBook;
  side: AlipaySide;
  notifier: Notifier;
  users: UserDirectory;
}

/** What a gateway method answers: the business payload (code 10000 added) or an error. */
export type MethodResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; code: string; msg: string; sub_code: string; sub_msg: string; asErrorResponse?: boolean };

export const bizError = (sub_code: string, sub_msg: string, code = '40004'): MethodResult => ({
  ok: false,
  code,
  msg: code === '40004' ? 'Business Failed' : code === '40002' ? 'Invalid Arguments' : code === '20000' ? 'Service Currently Unavailable' : 'Error',
  sub_code,
  sub_msg,
});

export interface MethodCall {
  params: Record<string, string>;
  biz: Record<string, unknown>;
  origin: string;
}
