/** The resident memory of another process, sampled from /proc while a workload runs. */
import { readFileSync } from 'node:fs';

function residentMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return kilobytes / 1024;
}

/** Starts sampling `pid` every `everyMs`; `stop` returns the highest value seen, in MB. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number } {
  let peak = residentMegabytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, residentMegabytes(pid));
    } catch {
      clearInterval(timer);
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
