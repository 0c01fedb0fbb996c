// Loaded into every measured process with `node --import` (connector and floors alike): when the process exits,
// it writes its own CPU time (user + system, every thread) and peak RSS to the file named by BENCH_USAGE_FILE.
// The same probe for both sides, so no side reports its own figures. A process that dies by a signal (the slow
// reader's SIGTERM) writes nothing; its RSS is sampled from /proc instead.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.once('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ userSeconds: usage.userCPUTime / 1e6, systemSeconds: usage.systemCPUTime / 1e6, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssMb: usage.maxRSS / 1024 }),
    );
  });
}
