import { createOrderOnce, selectionKey } from '../../src/lib/attempt';
import { apiError, mockApi } from '../helpers';
import { order } from '../fixtures';

const keysOf = (calls: Array<{ url: string; header: Record<string, string> }>) =>
  calls.filter((c) => c.url === '/api/orders').map((c) => c.header['Idempotency-Key']);

describe('order attempts and their Idempotency-Key', () => {
  test('names a selection by its slot or by its sorted bills', () => {
    expect(selectionKey({ kind: 'registration', slotId: 'S1' })).toBe('reg:S1');
    expect(selectionKey({ kind: 'outpatient', billNos: ['B2', 'B1'] })).toBe('out:B1,B2');
  });

  test('returns the order of an earlier attempt that can still be paid, without creating another', async () => {
    const calls = mockApi({ 'POST /api/orders': { data: { order: order() } }, 'GET /api/orders/MIP20250301000001': { data: { order: order() } } });
    await createOrderOnce({ kind: 'registration', slotId: 'S1' });
    const again = await createOrderOnce({ kind: 'registration', slotId: 'S1' });
    expect(again.orderNo).toBe('MIP20250301000001');
    expect(keysOf(calls)).toHaveLength(1);
  });

  test('starts a new attempt with a new key once the earlier order was cancelled', async () => {
    const calls = mockApi({
      'POST /api/orders': { data: { order: order() } },
      'GET /api/orders/MIP20250301000001': { data: { order: order({ state: 'cancelled', canPay: false }) } },
    });
    await createOrderOnce({ kind: 'registration', slotId: 'S1' });
    await createOrderOnce({ kind: 'registration', slotId: 'S1' });
    const keys = keysOf(calls);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  test('keeps the key when the earlier order cannot be read right now', async () => {
    let n = 0;
    const calls = mockApi({
      'POST /api/orders': () => (++n === 1 ? { data: { order: order() } } : { data: { order: order() } }),
      'GET /api/orders/MIP20250301000001': apiError(502, 'PEER_UNAVAILABLE', '医院或医保服务暂时无法连接，请稍后重试'),
    });
    await createOrderOnce({ kind: 'outpatient', billNos: ['B1'] });
    await createOrderOnce({ kind: 'outpatient', billNos: ['B1'] });
    const keys = keysOf(calls);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  test('uses different keys for different selections', async () => {
    const calls = mockApi({ 'POST /api/orders': { data: { order: order() } } });
    await createOrderOnce({ kind: 'registration', slotId: 'S1' }).catch(() => undefined);
    await createOrderOnce({ kind: 'registration', slotId: 'S2' }).catch(() => undefined);
    const keys = keysOf(calls);
    expect(new Set(keys).size).toBe(2);
  });
});
