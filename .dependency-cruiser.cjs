/**
 * Import rules of this repository, checked by dependency-cruiser in `npm test`
 * (test/architecture/imports.test.ts) and by hand with:
 *
 *   npx depcruise --config .dependency-cruiser.cjs bff sandbox shared/src
 *
 * Each rule has a name (shown when it is broken), a comment saying why, and `from` / `to` path patterns
 * (regular expressions on paths relative to the repository root). To add a rule, add a forbid(…) to
 * `forbidden` below and add one line to `VIOLATIONS` in the test so that the test shows the new rule biting.
 */

/** Test code: anything under test/, any *.test.ts, test fixtures and test-only helper folders. */
const TEST_CODE = '(^test/|[.]test[.]tsx?$|test-fixtures[.]ts$|/testing/|^bff/src/domain/fixtures[.]ts$)';

/*
 * The layers of the BFF (bff/src), from the inside out. Each arrow is "may import":
 *
 *   shared/src ◀── domain ◀── flows ──▶ ports ◀── adapters          http ──▶ flows, domain, ports, adapters
 *                                  └──▶ kernel                         main.ts, app/ (composition root) ──▶ anything
 *
 * - shared/src: what client and BFF share; imports nothing of ours (shared-not-to-apps).
 * - domain (bff/src/domain): the pure decisions and the order's data; imports shared only (domain-only-shared).
 * - flows: the use cases — bff/src/flows and the kiosk's use cases (kiosk/identity|orders|paying.ts). They import
 *   domain, each other, ports and the kernel (flows-to-domain-and-ports).
 * - ports: by convention a file named bff/src/<adapter>/port.ts (his/port.ts, channels/port.ts, national/port.ts,
 *   kiosk/port.ts, store/port.ts, sessions/port.ts): the interfaces, answer types and error classes of an adapter.
 *   Flows may import a port file but no other file of an adapter.
 * - adapters: his/, channels/, national/, peers/, store/, sessions/, kiosk/e-voucher.ts and kiosk/visits.ts. They
 *   implement ports and never reach up into flows, http or the other use cases (adapters-not-to-use-cases).
 * - http (bff/src/http): Koa. Routes call flows; nothing but the composition root imports it
 *   (only-composition-root-to-http), and nothing outside it imports Koa (koa-only-in-http).
 * - Redis: only the Redis adapter (store/redis.ts) imports ioredis (ioredis-only-in-store-redis).
 * - no cycles anywhere in bff/src or shared/src (no-circular), type-only imports included.
 */
const DOMAIN = '^bff/src/domain/';
const FLOWS = '^bff/src/(flows/|kiosk/(identity|orders|paying)[.]ts$)';
const PORT = '^bff/src/[^/]+/port[.]ts$';
const ADAPTERS = '^bff/src/((his|channels|national|peers|store|sessions)/|kiosk/(e-voucher|visits)[.]ts$)';
/**
 * The small kernel every layer above the domain may use, flows included: settings and their types (config/,
 * kiosk/config.ts re-exports config/kiosk), the log (obs/log.ts: the Logger type and the request id; obs/mask.ts:
 * masking before anything is logged) and the one way to seal and open personal data (security/pii.ts: in-memory
 * AES-GCM, no I/O). A clock goes here when one is injected (issue 13, item 4); until then the time is Deps.now.
 */
const KERNEL = '^bff/src/(config/|kiosk/config[.]ts$|obs/(log|mask)[.]ts$|security/pii[.]ts$)';

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
      'domain-only-shared',
      'bff/src/domain holds the pure decisions and the order\'s data (README "How a payment goes"): it imports shared/src ' +
      'and itself, nothing else — no flow, adapter, HTTP, Redis or npm package — so it can be read and tested alone.',
      { path: DOMAIN, pathNot: TEST_CODE },
      { pathNot: `^(shared/src/|bff/src/domain/)` },
    ),
    forbid(
      'flows-to-domain-and-ports',
      'Use cases (bff/src/flows, the kiosk\'s identity/orders/paying) import the domain, each other, ports ' +
      '(bff/src/<adapter>/port.ts) and the kernel (config, log, PII sealing), and no npm package but Node\'s own: ' +
      'never an adapter\'s other files (national/client, store/redis, sessions/*, peers/http-client …), never Koa or ' +
      'ioredis. A peer failure is classified through domain/peer-error.ts and the ports\' error classes; the stores ' +
      'through store/port.ts and sessions/port.ts.',
      { path: FLOWS, pathNot: TEST_CODE },
      {
      pathNot: `^shared/src/|${DOMAIN}|${FLOWS}|${PORT}|${KERNEL}`,
      dependencyTypesNot: ['core'],
      },
    ),
    forbid(
      'adapters-not-to-use-cases',
      'Adapters (his, channels, national, peers, store, sessions, the kiosk\'s e-voucher and visits) implement ports ' +
      'and answer in domain/port types; they never import the use cases that call them (flows, kiosk use cases, ' +
      'staff, ops, reconciliation, worker) nor the HTTP layer or the composition root.',
      { path: ADAPTERS, pathNot: TEST_CODE },
      { path: `${FLOWS}|^bff/src/(http|staff|ops|reconciliation|worker|app)/|^bff/src/main[.]ts$` },
    ),
    forbid(
      'only-composition-root-to-http',
      'bff/src/http is the outermost layer (Koa routes, middleware, the app): flows, domain, adapters and the staff, ' +
      'ops and kiosk services never import it — they throw DomainError (domain/errors.ts) and errors-middleware.ts ' +
      'answers. Only the composition root (main.ts, app/) builds the app.',
      { path: '^bff/src/', pathNot: [TEST_CODE, '^bff/src/(http/|app/|main[.]ts$)'] },
      { path: '^bff/src/http/' },
    ),
    forbid(
      'koa-only-in-http',
      'Koa (koa, @koa/*) is the HTTP layer\'s own: nothing outside bff/src/http imports it, tests of other layers included.',
      { path: '^bff/src/', pathNot: '^bff/src/http/' },
      { path: '^(koa|@koa/[^/]+)$|(^|/)node_modules/(koa|@koa/[^/]+)/' },
    ),
    forbid(
      'ioredis-only-in-store-redis',
      'ioredis is the Redis adapter\'s (store/redis.ts, which exports RedisClient); everything else uses that type or a store.',
      { path: '^bff/src/', pathNot: '^bff/src/store/redis[.]ts$' },
      { path: '^ioredis$|(^|/)node_modules/ioredis/' },
    ),
    forbid(
      'no-circular',
      'No import cycles in bff/src or shared/src, type-only imports included: a cycle is two modules that cannot be ' +
      'understood, tested or moved apart (order-draft.ts and channel-payment.ts are the cores ordering, self-pay, ' +
      'family, paying and the kiosk share).',
      { path: '^(bff/src|shared/src)/' },
      { circular: true },
    ),
    forbid(
      'shared-not-to-apps',
      'shared/src is what client and BFF share (money in fen, order states, the contract): it depends on neither ' +
      'of them nor on the sandbox, or the client bundle would pull in server code.',
      { path: '^shared/src/' },
      { path: '^(bff|sandbox|client)/' },
    ),
    forbid(
      'flows-only-through-the-centre-port',
      'Flows, kiosk flows, jobs and the domain talk to the insurance centre through its port (bff/src/national/port.ts, ' +
      'issue 10 point 5): refusal codes, refStatus, envelopes and message shapes stay inside the national adapter.',
      { path: '^bff/src/(flows|kiosk|domain|worker)/' },
      { path: '^bff/src/national/', pathNot: '^bff/src/national/port[.]ts$' },
    ),
  ],
  options: {
    // npm packages are seen (koa-only-in-http, ioredis-only-in-store-redis need them) but not followed into
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    // type-only imports count too: `import type` from the other side is still a dependency on its code
    tsPreCompilationDeps: true,
    moduleSystems: ['cjs', 'es6'],
  },
};
