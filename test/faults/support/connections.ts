/**
 * Which processes hold TCP connections to a port, read from the kernel with `ss`: how a test sees,
 * from the outside, that every FlowChat process took part in sending to the stand-in Cloud API.
 */
import { execFileSync } from 'node:child_process';

export function pidsConnectedTo(port: number): Set<number> {
  const table = execFileSync('ss', ['-tnpH', 'state', 'established', 'dst', `127.0.0.1:${port}`], { encoding: 'utf8' });
  return new Set([...table.matchAll(/pid=(\d+)/g)].map((match) => Number(match[1])));
}
