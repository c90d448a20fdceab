#!/usr/bin/env node
// `npm run test:faults`: runs test/faults (real FlowChat processes, a misbehaving stand-in Cloud API,
// a cut database), then prints the table of what each fault test injected, expected and observed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

if (!process.env.TEST_DATABASE_URL) {
  console.error('npm run test:faults needs TEST_DATABASE_URL: a PostgreSQL server where it may create and drop databases (see .ci/run)');
  process.exit(1);
}

const reportFile = join('.tmp', `faults-report-${process.pid}.jsonl`);
mkdirSync('.tmp', { recursive: true });
rmSync(reportFile, { force: true });

const started = Date.now();
const extra = process.argv.slice(2);
const child = spawn(process.execPath, ['scripts/run-tests.mjs', ...(extra.some((arg) => !arg.startsWith('-')) ? extra : ['test/faults', ...extra])], {
  stdio: 'inherit',
  env: { ...process.env, FLOWCHAT_FAULT_REPORT: reportFile },
});

child.on('exit', (code, signal) => {
  const rows = existsSync(reportFile)
    ? readFileSync(reportFile, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line))
    : [];
  rmSync(reportFile, { force: true });
  const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
  console.log(`\nFault suite report (${rows.length} rows, ${Math.round((Date.now() - started) / 1000)} s)\n`);
  console.log('| fault | expected | observed |');
  console.log('| --- | --- | --- |');
  for (const row of rows) console.log(`| ${cell(row.fault)} | ${cell(row.expected)} | ${cell(row.observed)} |`);
  process.exit(code ?? (signal ? 1 : 0));
});
