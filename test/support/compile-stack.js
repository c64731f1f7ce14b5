/**
 * Issue 13: jest's global set-up and tear-down. Every process entry a test starts (the four
 * sandbox peers, the BFF, the BFF proxy, the queue tests' worker child) is bundled once per run
 * with esbuild (the compiler tsx itself uses), so a process starts from one prebuilt file in
 * about 0.3 s instead of about 2 s of tsx resolving and compiling some two hundred modules —
 * every stack start, restart and kill-and-restart of a test pays that. scripts/stack/service.ts
 * `nodeArgs` runs the bundle when MIP_STACK_COMPILED names this run's directory and the entry's
 * bundle is there; otherwise (npm start, bench, a test run outside jest) tsx as before.
 *
 * Only our own code is bundled: packages stay `require`d from node_modules (the bundles live
 * under node_modules/.cache so that Node finds them), and `__dirname`/`__filename` keep the
 * source file's values, so files read beside the code (staff web assets, package.json) are found.
 * Plain CommonJS, as jest.config.js: a global set-up is not run through a project's transform.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const ENV = 'MIP_STACK_COMPILED';

function entries() {
  const peers = fs.readdirSync(path.join(ROOT, 'sandbox')).map((d) => `sandbox/${d}/main.ts`);
  return [...peers, 'bff/src/main.ts', 'scripts/stack/proxy.ts', 'test/support/worker-child.ts'].filter((e) => fs.existsSync(path.join(ROOT, e)));
}

/** Bare imports other than our workspaces stay external; `__dirname` and `__filename` keep the source file's values. */
const ownCodeOnly = {
  name: 'own-code-only',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@mip/') ? undefined : { path: args.path, external: true }));
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const src = await fs.promises.readFile(args.path, 'utf8');
      return {
        contents: src.replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))).replace(/\b__filename\b/g, JSON.stringify(args.path)),
        loader: 'ts',
      };
    });
  },
};

async function setup() {
  if (process.env[ENV] || process.env.MIP_STACK_TSX) return; // MIP_STACK_TSX=1: start every process through tsx, as before
  const t0 = Date.now();
  const cache = path.join(ROOT, 'node_modules/.cache/mip-stack');
  fs.mkdirSync(cache, { recursive: true });
  // bundles of runs that never reached their tear-down (killed), a day old
  for (const d of fs.readdirSync(cache)) {
    const p = path.join(cache, d);
    if (d.startsWith('run-') && Date.now() - fs.statSync(p).mtimeMs > 86_400_000) fs.rmSync(p, { recursive: true, force: true });
  }
  const outdir = fs.mkdtempSync(path.join(cache, 'run-'));
  await require('esbuild').build({
    entryPoints: entries(),
    outbase: ROOT,
    outdir,
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    plugins: [ownCodeOnly],
    logLevel: 'warning',
  });
  process.env[ENV] = outdir;
  if (process.env.MIP_STACK_COMPILE_LOG) process.stderr.write(`[stack] entries bundled in ${Date.now() - t0} ms → ${outdir}\n`);
}

async function teardown() {
  const dir = process.env[ENV];
  if (dir && dir.startsWith(path.join(ROOT, 'node_modules/.cache/mip-stack/run-'))) fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = Object.assign(setup, { setup, teardown, ENV });
