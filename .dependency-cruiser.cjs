/**
 * Import rules of this repository, checked by dependency-cruiser in `npm test`
 * (test/architecture/imports.test.ts) and by hand with:
 *
 *   npx depcruise --config .dependency-cruiser.cjs bff sandbox shared/src
 *
 * Each rule has a name (shown when it is broken), a comment saying why, and `from` / `to` path patterns
 * (regular expressions on paths relative to the repository root). To add a rule, append an object to
 * `forbidden` below — e.g. the domain/adapter layer rules — and add one line to `VIOLATIONS` in the test
 * so that the test shows the new rule biting.
 */

/** Test code: anything under test/, any *.test.ts, test fixtures and test-only helper folders. */
const TEST_CODE = '(^test/|[.]test[.]tsx?$|test-fixtures[.]ts$|/testing/)';

/** An error-severity rule: no file matching `from` may import a file matching `to`. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    forbid(
      'sandbox-not-to-bff',
      'The sandbox peers are independent witnesses of the protocols (public-rules item 20, issue 10): a sandbox that ' +
      'borrowed the BFF\'s envelope, SM2 or HMAC would repeat its mistakes and every test would still pass. ' +
      'Write it again from the public source instead; tests that need both sides live in test/.',
      { path: '^sandbox/' },
      { path: '^bff/' },
    ),
    forbid(
      'bff-not-to-sandbox-or-test',
      'The product (bff/src, its unit tests included) must not depend on the sandbox peers nor on the cross-process ' +
      'test helpers: a test that needs a sandbox peer belongs in test/ (e.g. test/adapters/).',
      { path: '^bff/' },
      { path: '^(sandbox|test)/' },
    ),
    forbid(
      'production-not-to-test-code',
      'Production files of bff/src and shared/src never import test code (test/, *.test.ts, test-fixtures.ts, ' +
      'testing/ helpers): it would ship test doubles and make tests part of the running product.',
      { path: '^(bff/src|shared/src)/', pathNot: TEST_CODE },
      { path: TEST_CODE },
    ),
    forbid(
      'shared-not-to-apps',
      'shared/src is what client and BFF share (money in fen, order states, the contract): it depends on neither ' +
      'of them nor on the sandbox, or the client bundle would pull in server code.',
      { path: '^shared/src/' },
      { path: '^(bff|sandbox|client)/' },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    // type-only imports count too: `import type` from the other side is still a dependency on its code
    tsPreCompilationDeps: true,
    moduleSystems: ['cjs', 'es6'],
  },
};
