// Preloaded (`node -r`, through NODE_OPTIONS) into a CLI under test: at exit it writes the files the
// process loaded (require.cache), one a line, to QC_LOADED_MODULES_FILE, so a test can tell which
// packages and libraries a command started. Plain JavaScript, so it needs no TypeScript compiler.
const { writeFileSync } = require('node:fs');

const target = process.env.QC_LOADED_MODULES_FILE;
if (target) process.on('exit', () => writeFileSync(target, Object.keys(require.cache).join('\n')));
