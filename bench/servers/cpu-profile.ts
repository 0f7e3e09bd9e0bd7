// BENCH_CPU_PROF=<folder>: a V8 CPU profile of a benchmark server's whole run, written when it is
// stopped (node's --cpu-prof is refused in NODE_OPTIONS, and the harness starts these files itself).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Starts profiling when BENCH_CPU_PROF is set; the function returned writes the profile. */
export async function startCpuProfile(): Promise<() => Promise<void>> {
  const profileDir = process.env.BENCH_CPU_PROF;
  if (!profileDir) return async () => {};
  const profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
  return async () => {
    const { profile } = await profiler.post('Profiler.stop');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(`${profileDir}/pulso-${process.pid}.cpuprofile`, JSON.stringify(profile));
  };
}
