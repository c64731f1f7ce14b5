import { orderFixture } from './fixtures';
import { jsonCopy } from './json-copy';

describe('a deep copy of an order', () => {
  it('equals what a JSON round trip of the order gives', () => {
    const order = orderFixture({ orderNo: 'O2612060000000COPY1' });
    expect(jsonCopy(order)).toEqual(JSON.parse(JSON.stringify(order)));
  });

  it('shares no object or array with the original', () => {
    const order = orderFixture({ orderNo: 'O2612060000000COPY2' });
    const c = jsonCopy(order);
    c.timeline.push({ ...c.timeline[0] });
    c.amounts.cashFen += 1;
    expect(order.timeline).toHaveLength(c.timeline.length - 1);
    expect(order.amounts.cashFen).toBe(c.amounts.cashFen - 1);
  });

  it('leaves out properties whose value is undefined, as JSON does', () => {
    expect(jsonCopy({ a: 1, b: undefined, c: [null, { d: undefined }] })).toEqual({ a: 1, c: [null, {}] });
    expect(Object.keys(jsonCopy({ a: 1, b: undefined }))).toEqual(['a']);
  });
});
