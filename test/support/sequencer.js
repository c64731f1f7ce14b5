/**
 * Issue 13: the order jest starts test files in. Jest runs the longest first when its cache knows
 * how long each file took, but a fresh clone (CI) has no cache, and jest then goes by file size:
 * the fault suite's payment run (a 45-line file, the longest suite at ~90 s) started last and
 * ran alone at the end. Where the cache has no time for a file, this takes it from
 * suite-seconds.json (seconds per file, from a CI run; only files of 2 s or more), else 10 s for
 * an integration, browser or fault file and a few milliseconds by file size for the rest — so
 * the long cross-process suites start first and the two workers finish together. A stale or
 * missing entry only changes the order, never what runs.
 */
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const seconds = require('./suite-seconds.json');

const ROOT = path.resolve(__dirname, '../..');
const CROSS_PROCESS = ['integration', 'e2e', 'faults'];

class LongestFirst extends Sequencer {
  time(test) {
    const cached = super.time(test);
    if (cached != null) return cached;
    const hint = seconds[path.relative(ROOT, test.path).split(path.sep).join('/')];
    if (hint != null) return hint * 1000;
    // a file not listed yet: a cross-process one starts a stack (about 10 s), the rest are quick
    const project = test.context.config.displayName?.name;
    return CROSS_PROCESS.includes(project) ? 10_000 : (test.context.hasteFS.getSize(test.path) ?? 0) / 1000;
  }
}

module.exports = LongestFirst;
