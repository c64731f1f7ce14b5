import crypto from 'node:crypto';
import { SHARDS, shardOf } from './keys';

/** the layout every deployed key follows: the first two bytes of SHA-1 of the key, modulo the shard count */
const layout = (key: string) => crypto.createHash('sha1').update(key).digest().readUInt16BE(0) % SHARDS;

describe('the shard of a key', () => {
  it('follows the deployed layout, asked once or again', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `R2612060000${String(i).padStart(8, '0')}`);
    for (const k of keys) expect(shardOf(k)).toBe(layout(k));
    for (const k of keys) expect(shardOf(k)).toBe(layout(k));
  });

  it('spreads order numbers over every shard', () => {
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => shardOf(`O${i}`)));
    expect(seen.size).toBe(SHARDS);
  });
});
