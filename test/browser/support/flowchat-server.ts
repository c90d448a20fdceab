/**
 * Starts the real FlowChat (`node bin/flowchat.js serve`, exactly what `npm start` runs) on a
 * free port with a fresh embedded database, after building the web app it serves.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ADMIN_EMAIL = 'admin@flowchat.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

export interface FlowChatServer {
  readonly url: string;
  /** Everything the server printed, for failure messages. */
  readonly output: () => string;
  stop(): Promise<void>;
}

let built = false;

/** Builds web/dist once per test process, so the tests always run the current source. */
export function buildWeb(): void {
  if (built) return;
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'error'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`the web build failed:\n${result.stdout}${result.stderr}`);
  built = true;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FlowChat exited with ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`FlowChat did not become healthy within 60 s:\n${output()}`);
}

/** `env` adds to the defaults, e.g. the WhatsApp variables that point at the stand-in Cloud API. */
export async function startFlowChat(env: Record<string, string> = {}): Promise<FlowChatServer> {
  buildWeb();
  const dataDir = mkdtempSync(join(tmpdir(), 'flowchat-browser-'));
  const port = await freePort();
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The test decides the channel; a developer's own WhatsApp or database settings must not leak in.
    if (value !== undefined && !key.startsWith('WHATSAPP_') && key !== 'DATABASE_URL') childEnv[key] = value;
  }
  const child = spawn(process.execPath, [join(ROOT, 'bin/flowchat.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...childEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      FLOWCHAT_DATA_DIR: dataDir,
      FLOWCHAT_ADMIN_EMAIL: ADMIN_EMAIL,
      FLOWCHAT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const output = () => log.slice(-8000);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, output);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
