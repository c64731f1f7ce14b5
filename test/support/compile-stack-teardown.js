// jest's global tear-down: removes this run's bundles (test/support/compile-stack.js)
module.exports = require('./compile-stack').teardown;
