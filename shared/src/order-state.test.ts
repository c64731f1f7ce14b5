import { canTransition, FINAL_STATES, ORDER_STATES, ORDER_TRANSITIONS } from './order-state';

describe('order states', () => {
  it('never leaves a settled-with-money state straight to failed', () => {
    expect(canTransition('paid', 'failed')).toBe(false);
    expect(canTransition('paid', 'cancelled')).toBe(false);
  });

  it('lets every non-final state reach manual review', () => {
    for (const s of ORDER_STATES) {
      if (FINAL_STATES.includes(s) || s === 'manual_review') continue;
      expect(canTransition(s, 'manual_review')).toBe(true);
    }
  });

  it('only names known states in the table', () => {
    for (const targets of Object.values(ORDER_TRANSITIONS)) for (const t of targets) expect(ORDER_STATES).toContain(t);
  });
});
