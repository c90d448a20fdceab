#!/usr/bin/env node
// Builds the web inbox into web/dist. With --if-needed (what `npm ci` and `npm start` run), it
// builds only when web/dist is missing or older than a source file, so a start costs nothing extra.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'package-lock.json'];
const output = 'web/dist/index.html';

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

if (!existsSync('web/vite.config.ts')) process.exit(0);
if (process.argv.includes('--if-needed') && existsSync(output) && newest(output) >= Math.max(...sources.map(newest))) process.exit(0);
const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
