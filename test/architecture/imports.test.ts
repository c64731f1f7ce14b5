/**
 * The import rules of .dependency-cruiser.cjs hold for the repository, and each of them bites.
 * dependency-cruiser is ESM-only, so it runs as its own process (its CLI, JSON output) rather than inside jest.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const CLI = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

/** Runs dependency-cruiser with the repository's rules over `dirs` of `cwd`; answers the violations. */
async function cruise(cwd: string, dirs: string[]): Promise<Violation[]> {
  const run = promisify(execFile);
  // exit code = number of errors: the JSON on stdout is wanted either way
  const { stdout } = await run(process.execPath, [CLI, '--config', CONFIG, '--output-type', 'json', ...dirs], { cwd, maxBuffer: 64 << 20 }).catch(
    (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
  );
  const result = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return result.summary.violations;
}

/** One file breaking each rule, in a throwaway tree laid out like the repository. */
const VIOLATIONS: { rule: string; file: string; imports: string }[] = [
  { rule: 'sandbox-not-to-bff', file: 'sandbox/national/envelope.ts', imports: '../../bff/src/national/envelope' },
  { rule: 'bff-not-to-sandbox-or-test', file: 'bff/src/his/adapter.test.ts', imports: '../../../sandbox/his/app' },
  { rule: 'bff-not-to-sandbox-or-test', file: 'bff/src/channels/adapter.test.ts', imports: '../../../test/support/helper' },
  { rule: 'production-not-to-test-code', file: 'bff/src/reconciliation/runner.ts', imports: '../his/test-fixtures' },
  { rule: 'production-not-to-test-code', file: 'shared/src/money.ts', imports: './money.test' },
  { rule: 'shared-not-to-apps', file: 'shared/src/contract.ts', imports: '../../bff/src/national/envelope' },
  { rule: 'flows-only-through-the-centre-port', file: 'bff/src/kiosk/pay.ts', imports: '../national/envelope' },
  { rule: 'domain-only-shared', file: 'bff/src/domain/refund.ts', imports: '../channels/port' },
  { rule: 'flows-to-domain-and-ports', file: 'bff/src/flows/views.ts', imports: '../peers/http-client' },
  { rule: 'flows-to-domain-and-ports', file: 'bff/src/kiosk/identity.ts', imports: './e-voucher' },
  { rule: 'adapters-not-to-use-cases', file: 'bff/src/his/http-adapter.ts', imports: '../flows/ordering' },
  { rule: 'only-composition-root-to-http', file: 'bff/src/staff/search.ts', imports: '../http/route' },
  { rule: 'koa-only-in-http', file: 'bff/src/ops/health.ts', imports: 'koa' },
  { rule: 'ioredis-only-in-store-redis', file: 'bff/src/sessions/profile.ts', imports: 'ioredis' },
  // a cycle is reported once, from the first of its files that is cruised
  { rule: 'no-circular', file: 'bff/src/domain/change.ts', imports: './jobs' },
];
const TARGETS = [
  'bff/src/national/envelope.ts', 'sandbox/his/app.ts', 'test/support/helper.ts', 'bff/src/his/test-fixtures.ts', 'shared/src/money.test.ts',
  'bff/src/channels/port.ts', 'bff/src/peers/http-client.ts', 'bff/src/kiosk/e-voucher.ts', 'bff/src/flows/ordering.ts', 'bff/src/http/route.ts',
];
/** the other half of the planted cycle: an import the domain may make, so it breaks no rule by itself */
const CYCLE_PARTNER = { file: 'bff/src/domain/jobs.ts', imports: './change' };

describe('import rules (.dependency-cruiser.cjs)', () => {
  it('hold for the repository: sandbox/ and bff/ do not import each other, production code no test code, the layers of bff/src, no cycles', async () => {
    const violations = await cruise(ROOT, ['bff', 'sandbox', 'shared/src']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 30_000);

  it('each have a planted violation below, so that none is untested', () => {
    const config = require(CONFIG) as { forbidden: { name: string }[] };
    expect(config.forbidden.map((r) => r.name).sort()).toEqual([...new Set(VIOLATIONS.map((v) => v.rule))].sort());
  });

  it('report a file that breaks them, naming the rule broken', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-rules-'));
    try {
      const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
        fs.writeFileSync(path.join(tmp, file), text);
      };
      for (const t of TARGETS) write(t, 'export const x = 1;\n');
      for (const v of [...VIOLATIONS, CYCLE_PARTNER]) write(v.file, `import { x } from '${v.imports}';\nexport const y = x;\n`);
      const found = await cruise(tmp, ['bff', 'sandbox', 'shared']);
      expect(found.map((v) => `${v.rule.name}: ${v.from}`).sort()).toEqual(VIOLATIONS.map((v) => `${v.rule}: ${v.file}`).sort());
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 30_000);
});
