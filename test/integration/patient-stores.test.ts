/**
 * Issue 12 items 4 and 5, the two small stores on a real redis-server. The family members: limit
 * and duplicates refused atomically. What the vault says about a patient's e-voucher authorization, on a real
 * redis-server: active with its life, spent on one order, expired — never "done" once gone.
 * Expiry is read against a later clock (status's `now`), not waited for.
 */
import { Keys } from '../../bff/src/store/keys';
import { PayAuthVault } from '../../bff/src/sessions/pay-auth-vault';
import { FamilyMembers, type FamilyMember } from '../../bff/src/sessions/family';
import { testOrderStore, type TestOrderStore } from '../support/redis';

const keys = new Keys('t:');
let t: TestOrderStore;

beforeAll(async () => {
  t = await testOrderStore(keys);
});
afterAll(() => t.cleanup());

const held = (familyPay = false) => ({ payAuthNo: 'AUTH-1', expiresAt: new Date(Date.now() + 240_000).toISOString(), payer: { familyPay } });

describe('the pay authorization as the vault reports it', () => {
  it('says none before any authorization', async () => {
    expect(await new PayAuthVault(t.client, keys).status('wechat:none')).toEqual({ state: 'none' });
  });

  it('holds an authorization no longer than the configured cap and reports when it ends', async () => {
    const vault = new PayAuthVault(t.client, keys, 30);
    expect(await vault.hold('wechat:cap', held(), 240)).toBe(30);
    const st = await vault.status('wechat:cap');
    expect(st).toMatchObject({ state: 'active', familyPay: false });
    const left = st.state === 'active' ? Date.parse(st.expiresAt) - Date.now() : 0;
    expect(left).toBeGreaterThan(25_000);
    expect(left).toBeLessThanOrEqual(30_000);
    expect(await t.client.ttl('t:{v:u:wechat:cap}:payauth')).toBeLessThanOrEqual(30);
  });

  it('reports an authorization past its end as expired, even while the key still exists', async () => {
    const vault = new PayAuthVault(t.client, keys);
    await vault.hold('wechat:late', held(true), 240);
    expect(await vault.status('wechat:late', Date.now() + 241_000)).toMatchObject({ state: 'expired', familyPay: true });
  });

  it('reports an authorization taken by an order as used for that order', async () => {
    const vault = new PayAuthVault(t.client, keys);
    await vault.hold('wechat:used', held(), 240);
    expect(await vault.takeForOrder('wechat:used', 'R2612061200000AAAAAA', false)).toMatchObject({ kind: 'taken', auth: { payAuthNo: 'AUTH-1' } });
    expect(await vault.status('wechat:used')).toEqual({ state: 'used', orderNo: 'R2612061200000AAAAAA', familyPay: false });
  });

  it('shows an authorization without taking it', async () => {
    const vault = new PayAuthVault(t.client, keys);
    await vault.hold('wechat:peek', held(true), 240);
    expect(await vault.peek('wechat:peek')).toMatchObject({ payer: { familyPay: true } });
    expect(await vault.status('wechat:peek')).toMatchObject({ state: 'active' });
  });
});

describe('the pay step taking the authorization (one Lua step)', () => {
  const ORDER = 'R2612061200000BBBBBB';

  it('moves the held authorization to the order, leaving none held', async () => {
    const vault = new PayAuthVault(t.client, keys);
    await vault.hold('wechat:take', held(), 240);
    expect(await vault.takeForOrder('wechat:take', ORDER, false)).toEqual({ kind: 'taken', auth: expect.objectContaining({ payAuthNo: 'AUTH-1', payer: { familyPay: false } }) });
    expect(await vault.peek('wechat:take')).toBeNull();
  });

  it('gives a retry of the same order its own authorization and leaves a newer held one unspent', async () => {
    const vault = new PayAuthVault(t.client, keys);
    await vault.hold('wechat:retry', held(), 240);
    await vault.takeForOrder('wechat:retry', ORDER, false);
    await vault.hold('wechat:retry', { ...held(), payAuthNo: 'AUTH-2' }, 240);
    expect(await vault.takeForOrder('wechat:retry', ORDER, false)).toMatchObject({ kind: 'bound', auth: { payAuthNo: 'AUTH-1' } });
    expect(await vault.status('wechat:retry')).toMatchObject({ state: 'active' });
    expect(await vault.peek('wechat:retry')).toMatchObject({ payAuthNo: 'AUTH-2' });
  });

  it('leaves a family-pay authorization held, unspent, when the order is the holder’s own', async () => {
    const vault = new PayAuthVault(t.client, keys);
    await vault.hold('wechat:misfit', held(true), 240);
    expect(await vault.takeForOrder('wechat:misfit', ORDER, false)).toMatchObject({ kind: 'misfit', auth: { payer: { familyPay: true } } });
    expect(await vault.status('wechat:misfit')).toMatchObject({ state: 'active', familyPay: true });
    expect(await t.client.ttl('t:{v:u:wechat:misfit}:payauth')).toBeGreaterThan(200);
  });

  it('leaves the holder’s own authorization held, unspent, when the order is a relative’s', async () => {
    const vault = new PayAuthVault(t.client, keys);
    await vault.hold('wechat:misfit2', held(false), 240);
    expect(await vault.takeForOrder('wechat:misfit2', ORDER, true)).toMatchObject({ kind: 'misfit' });
    expect(await vault.takeForOrder('wechat:misfit2', ORDER, false)).toMatchObject({ kind: 'taken', auth: { payAuthNo: 'AUTH-1' } });
  });

  it('does not bind an authorization past its end, and reports it expired', async () => {
    let now = Date.now();
    const vault = new PayAuthVault(t.client, keys, undefined, () => now);
    await vault.hold('wechat:expired', held(), 240);
    now += 240_000;
    expect(await vault.takeForOrder('wechat:expired', ORDER, false)).toEqual({ kind: 'none' });
    expect(await vault.status('wechat:expired')).toMatchObject({ state: 'expired' });
  });

  it('gives one held authorization to one order only, however many pay steps race', async () => {
    const vault = new PayAuthVault(t.client, keys);
    await vault.hold('wechat:race', held(), 240);
    const orders = Array.from({ length: 6 }, (_, i) => `R26120612000000RACE${i}`);
    const taken = await Promise.all(orders.map((o) => vault.takeForOrder('wechat:race', o, false)));
    expect(taken.filter((x) => x.kind === 'taken')).toHaveLength(1);
    expect(taken.filter((x) => x.kind === 'none')).toHaveLength(5);
  });

  it('answers none when nothing is held', async () => {
    expect(await new PayAuthVault(t.client, keys).takeForOrder('wechat:nothing', ORDER, false)).toEqual({ kind: 'none' });
  });
});

describe('the family member store', () => {
  const member = (memberId: string, idHash: string): FamilyMember => ({
    memberId,
    relation: 'child',
    identitySealed: 'sealed',
    nameMasked: '张*',
    idNoMasked: '440106********2134',
    idHash,
    regionCode: '440100',
    regionName: '广州市',
    insured: true,
    createdAt: new Date().toISOString(),
  });

  it('adds at most the limit and refuses a second member with one ID number, atomically under concurrency', async () => {
    const family = new FamilyMembers(t.client, keys);
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => family.add('wechat:many', member(`fm0000000${i}`, `h${i}`), 5)));
    expect(outcomes.filter((o) => o === 'added')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'limit')).toHaveLength(3);
    const dups = await Promise.all(Array.from({ length: 4 }, (_, i) => family.add('wechat:dup', member(`fm1000000${i}`, 'same'), 5)));
    expect(dups.filter((o) => o === 'added')).toHaveLength(1);
    expect(dups.filter((o) => o === 'duplicate')).toHaveLength(3);
  });
});
