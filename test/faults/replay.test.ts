/**
 * Issue 13: the fault suite replays. Every random choice comes from one seed
 * (test/support/fault-plan.ts), the faults are decided up front, and a run with the same seed
 * injects the same faults in the same order and prints the same summary line.
 */
import { FAULT_KINDS, faultSeed, injectedSequence, planRun } from '../support/fault-plan';
import { runFaultSuite, type FaultSuiteOptions } from '../support/fault-suite';

const shape = { flows: 200, patients: 40, killEveryMs: [4000, 8000] as [number, number], instances: 3 };

it('plans the same faults, endings, patients and kills from the same seed', () => {
  expect(planRun(4242, shape)).toEqual(planRun(4242, shape));
});

it('plans different faults from a different seed', () => {
  expect(injectedSequence(planRun(4242, shape))).not.toEqual(injectedSequence(planRun(4243, shape)));
});

it('arms every listed fault kind somewhere in a long enough plan', () => {
  const seen = new Set(injectedSequence(planRun(7, { ...shape, flows: 2000 })).map((l) => l.replace(/^flow \d+ /, '')));
  expect([...seen].sort()).toEqual([...new Set(FAULT_KINDS.map((k) => `${k.peer} ${k.rule.op}:${k.rule.kind}`))].sort());
});

it('takes the seed from FAULT_SEED and refuses one that is not a whole number', () => {
  expect(faultSeed({ FAULT_SEED: '123' })).toBe(123);
  expect(() => faultSeed({ FAULT_SEED: '1.5' })).toThrow(/FAULT_SEED/);
  expect(Number.isSafeInteger(faultSeed({}))).toBe(true);
});

it(
  'injects the same faults in the same order and prints the same summary line when run twice with one seed',
  async () => {
    const opts: FaultSuiteOptions = {
      seed: 20261206,
      flows: 6,
      concurrency: 3,
      patients: 3,
      instances: 1,
      killEveryMs: null,
      redisRestarts: 0,
      refundEvery: 4,
      settleTimeoutMs: 90_000,
      unpaidOrderTtlMs: 5000,
      log: process.env.FAULT_REPLAY_LOG ? undefined : () => {},
    };
    // two runs side by side, each with its own stack
    const [first, second] = await Promise.all([runFaultSuite(opts), runFaultSuite(opts)]);
    expect(first.problems).toEqual([]);
    expect(first.injected.length).toBeGreaterThan(0);
    expect(second.injected).toEqual(first.injected);
    expect(second.line).toBe(first.line);
    expect(first.line).toContain('seed=20261206');
  },
  5 * 60_000,
);
