/** Errors that mean "a step is missing": where to send the patient and what the button says. */
import { ApiError } from './api';
import { PAGES, url } from './nav';

export interface NextStep {
  label: string;
  to: string;
  /** restart = the whole flow starts over (session lost) */
  mode: 'go' | 'restart';
}

export function nextStepFor(e: unknown, returnTo?: string): NextStep | undefined {
  if (!(e instanceof ApiError)) return undefined;
  switch (e.code) {
    case 'IDENTITY_REQUIRED':
    case 'NOT_INSURED':
      return { label: '去核验医保身份', to: PAGES.region, mode: 'go' };
    case 'AUTHORIZATION_REQUIRED':
    case 'AUTHORIZATION_FAILED':
      return { label: '去授权医保电子凭证', to: url(PAGES.auth, { returnTo }), mode: 'go' };
    case 'BILL_IN_OTHER_ORDER':
    case 'ALREADY_REGISTERED': {
      const d = e.details as { orderNo?: unknown } | undefined;
      const label = e.code === 'ALREADY_REGISTERED' ? '查看已预约的订单' : '查看那笔订单';
      return typeof d?.orderNo === 'string' ? { label, to: url(PAGES.order, { orderNo: d.orderNo }), mode: 'go' } : undefined;
    }
    case 'UNAUTHENTICATED':
    case 'LOGIN_FAILED':
      return { label: '返回首页', to: PAGES.home, mode: 'restart' };
    default:
      return undefined;
  }
}
