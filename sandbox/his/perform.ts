import type Koa from 'koa';
import { drop, hang, sleep } from '../common/server';
import type { FaultBook, FaultRule } from '../common/faults';
import { CODES, failureReply, HisFailure, okReply, type Reply } from './protocol';

/**
 * Runs one HIS operation under the fault book. `act` does the work (and its side effects) and
 * returns the data of a success answer, or throws HisFailure for a documented refusal.
 *
 *   fail       a documented business error instead of acting: code (default 500), message,
 *              status (default 200; 5xx statuses make it a system error)
 *   delay      wait `ms` (default 1000), then act and answer
 *   timeout    never answer; after:'act' acts first (booked, but the caller cannot know)
 *   drop       close the connection without an answer; after:'act' acts first
 *   ambiguous  HTTP 200 with a body outside the protocol; after:'act' acts first.
 *              code:'html' gives an HTML gateway page, otherwise {"result":"处理中"}
 */
export async function perform(ctx: Koa.Context, faults: FaultBook, op: string, key: string | undefined, act: () => unknown): Promise<void> {
  const run = async (): Promise<Reply> => {
    try {
      return okReply(await act());
    } catch (err) {
      if (err instanceof HisFailure) return failureReply(err);
      throw err;
    }
  };
  const rule = faults.take(op, key);
  if (!rule) return send(ctx, await run());
  const acted = rule.after === 'act';
  switch (rule.kind) {
    case 'fail':
      return send(ctx, failReply(rule));
    case 'delay':
      await sleep(rule.ms ?? 1000);
      return send(ctx, await run());
    case 'timeout':
      if (acted) await run();
      return hang(ctx);
    case 'drop':
      if (acted) await run();
      return drop(ctx);
    case 'ambiguous':
      if (acted) await run();
      return send(ctx, ambiguousReply(rule));
    default:
      // duplicate / reorder concern outgoing pushes only
      return send(ctx, await run());
  }
}

function failReply(rule: FaultRule): Reply {
  const status = rule.status ?? 200;
  const code = rule.code ?? (status >= 500 ? CODES.UNKNOWN : CODES.BUSINESS);
  const message = rule.message ?? (status >= 500 ? '系统异常，请稍后重试' : '业务处理失败');
  return failureReply(new HisFailure(code, message, status));
}

function ambiguousReply(rule: FaultRule): Reply {
  if (rule.code === 'html') {
    return { status: 200, contentType: 'text/html; charset=utf-8', body: '<html><head><title>提示</title></head><body>系统繁忙，请稍后</body></html>' };
  }
  return { status: 200, body: { result: rule.message ?? '处理中' } };
}

export function send(ctx: Koa.Context, r: Reply): void {
  ctx.status = r.status;
  if (r.contentType) ctx.type = r.contentType;
  ctx.body = r.body;
}
