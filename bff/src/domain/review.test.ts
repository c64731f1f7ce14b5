import { orderFixture } from './fixtures';
import type { Order } from './order';
import { resolveReview, reviewTargets, ReviewError } from './review';

const now = new Date('2026-11-24T03:00:00.000Z');

function inReview(over: Partial<Order> = {}): Order {
  return orderFixture({
    state: 'manual_review',
    version: 7,
    review: { reason: '冲正步骤 cash_refund 未能完成', openedAt: '2026-11-23T03:00:00.000Z', fromState: 'reversing' },
    refunds: [
      {
        refundNo: 'O261123100000ABCDEFRV',
        requestedBy: 'reversal',
        state: 'manual_review',
        amounts: { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 },
        reason: '单边账冲正',
        createdAt: '2026-11-23T02:30:00.000Z',
        lastError: 'refund failed',
      },
    ],
    ...over,
  });
}

const resolution = { to: 'reversed' as const, note: '已在微信商户平台人工退款', staffId: 'staff-1', expectedVersion: 7 };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReviewError) return err.refusal;
    throw err;
  }
  return 'none';
}

describe('resolving a manual-review case', () => {
  it('moves the order to the chosen state', () => {
    const change = resolveReview(inReview(), resolution, now);
    expect(change.order.state).toBe('reversed');
    expect(change.transition).toEqual({ from: 'manual_review', to: 'reversed' });
  });

  it('records the staff id and the note on the timeline', () => {
    const entry = resolveReview(inReview(), resolution, now).order.timeline.at(-1);
    expect(entry).toMatchObject({ from: 'manual_review', to: 'reversed', by: 'staff', reason: '已在微信商户平台人工退款', at: now.toISOString() });
    expect(entry?.event).toContain('staff-1');
  });

  it('closes the review with who resolved it, when and how', () => {
    const review = resolveReview(inReview(), resolution, now).order.review;
    expect(review).toMatchObject({ reason: '冲正步骤 cash_refund 未能完成', resolvedBy: 'staff-1', resolution: 'reversed', resolvedAt: now.toISOString() });
  });

  it('marks a refund that waited for the person as succeeded when the money went back', () => {
    expect(resolveReview(inReview(), resolution, now).order.refunds[0].state).toBe('succeeded');
  });

  it('marks a refund that waited for the person as failed when the money was kept', () => {
    expect(resolveReview(inReview(), { ...resolution, to: 'completed' }, now).order.refunds[0].state).toBe('failed');
  });

  it('queues no follow-up job, because a person already did what had to be done', () => {
    expect(resolveReview(inReview(), resolution, now).jobs).toEqual([]);
  });

  it('leaves the original order untouched', () => {
    const before = inReview();
    resolveReview(before, resolution, now);
    expect(before.state).toBe('manual_review');
  });

  it('refuses an order that is no longer in manual review', () => {
    expect(refusal(() => resolveReview(inReview({ state: 'completed' }), resolution, now))).toBe('not_in_review');
  });

  it('refuses a decision made on an older version of the order', () => {
    expect(refusal(() => resolveReview(inReview({ version: 8 }), resolution, now))).toBe('stale');
  });

  it('refuses a target state the transition table does not allow', () => {
    expect(refusal(() => resolveReview(inReview(), { ...resolution, to: 'paid' }, now))).toBe('target');
  });

  it('refuses an empty note', () => {
    expect(refusal(() => resolveReview(inReview(), { ...resolution, note: '   ' }, now))).toBe('note');
  });

  it('offers the transition table targets only while the order is in review', () => {
    expect(reviewTargets(inReview())).toEqual(['completed', 'reversed', 'refunded', 'cancelled', 'failed']);
    expect(reviewTargets(inReview({ state: 'completed' }))).toEqual([]);
  });
});
