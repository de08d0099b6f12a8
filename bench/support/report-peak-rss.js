// Preloaded (`node -r`) into a measured child: at exit it writes its own peak RSS (getrusage
// maxrss = VmHWM, in kB) to BENCH_PEAK_RSS_FILE, because the parent cannot read a process that is gone.
// Plain JavaScript, so a compiled child is measured without loading a TypeScript compiler.
const { writeFileSync } = require('node:fs');

const target = process.env.BENCH_PEAK_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
