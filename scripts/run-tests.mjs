#!/usr/bin/env node
// Runs node's test runner (through tsx) over test files: Node 20's runner takes no globs and finds
// no .ts files on its own. `node scripts/run-tests.mjs [dir ...]`; default: test/, without the
// browser and fault suites, which have their own scripts.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const excluded = new Set(['test/browser', 'test/faults', 'test/support']);

function collect(dir, found) {
  if (excluded.has(dir) && !process.argv.slice(2).includes(dir)) return found;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, found);
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const roots = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('-'));
const files = (roots.length ? roots : ['test']).flatMap((root) => (root.endsWith('.ts') ? [root] : collect(root, [])));
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...flags, ...files], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
