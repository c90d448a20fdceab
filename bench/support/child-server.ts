/** Helper servers of the webhook benchmark (the bare floor, FlowChat without workers) as child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Stops `child` with SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Runs `script` with `env`; resolves once it printed `{"port": …}`. */
async function startChild(script: string, env: Readonly<Record<string, string>>): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  const { port } = JSON.parse(line) as { port: number };
  if (child.pid === undefined) throw new Error(`${script} did not start`);
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => stopChild(child) };
}

/** The floor: a bare node:http server that checks the signature and answers. */
export function startBareWebhookServer(appSecret: string): Promise<ChildServer> {
  return startChild(join(here, '..', 'baseline', 'bare-webhook-server.ts'), { BARE_APP_SECRET: appSecret });
}

/** FlowChat's routes on `databaseUrl` with no workers: webhooks are stored and acknowledged, not processed. */
export function startAckOnlyServer(databaseUrl: string, appSecret: string): Promise<ChildServer> {
  return startChild(join(here, 'ack-only-server.ts'), { DATABASE_URL: databaseUrl, WHATSAPP_APP_SECRET: appSecret });
}
