/**
 * CPU time of processes, from /proc: what a workload cost a server (and its database sessions)
 * however busy the rest of the machine was, which wall-clock rates cannot say.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';

const TICKS_PER_SECOND = 100;

/** User plus system CPU milliseconds `pid` has used so far (0 once it is gone). */
function cpuMs(pid: number): number {
  try {
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The server processes of the local PostgreSQL serving `url`'s database right now. */
export async function databaseSessions(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    return result.rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

/** CPU milliseconds used by `pids` between this call and `stop`. */
export function measureCpu(pids: readonly number[]): { stop(): number } {
  const before = new Map(pids.map((pid) => [pid, cpuMs(pid)]));
  return { stop: () => pids.reduce((total, pid) => total + Math.max(0, cpuMs(pid) - (before.get(pid) ?? 0)), 0) };
}
