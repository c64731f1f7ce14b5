import type Koa from 'koa';
import { drop, hang, sleep } from '../common/server';
import type { FaultBook, FaultRule } from '../common/faults';

/**
 * Runs one sandbox operation under the fault book: fail answers with the rule's error, delay
 * answers late, timeout/drop hold or cut the connection before or (after:'act') after acting,
 * ambiguous answers something unreadable.
 */
export async function underFaults(
  ctx: Koa.Context,
  faults: FaultBook,
  op: string,
  key: string | undefined,
  act: () => Promise<void> | void,
  fail: (rule: FaultRule) => void,
): Promise<void> {
  const rule = faults.take(op, key);
  const after = rule?.after === 'act';
  if (rule) {
    if (rule.kind === 'fail') return fail(rule);
    if (rule.kind === 'delay') await sleep(rule.ms ?? 1000);
    if (!after && rule.kind === 'timeout') return hang(ctx);
    if (!after && rule.kind === 'drop') return drop(ctx);
    if (!after && rule.kind === 'ambiguous') {
      ctx.status = 200;
      ctx.type = 'text/html';
      ctx.body = '<html><body>502 Bad Gateway</body></html>';
      return;
    }
  }
  await act();
  if (!rule || !after) return;
  if (rule.kind === 'timeout') return hang(ctx);
  if (rule.kind === 'drop') return drop(ctx);
  if (rule.kind === 'ambiguous') {
    ctx.status = 200;
    ctx.type = 'text/html';
    ctx.body = '<html><body>502 Bad Gateway</body></html>';
  }
}
