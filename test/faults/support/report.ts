/**
 * The fault suite's report: each test records what it injected, what FlowChat must do, and what it
 * saw. Rows go to the file `scripts/run-faults.mjs` names (it prints them as one table at the end),
 * or to standard output when a test file runs on its own.
 */
import { appendFileSync } from 'node:fs';

export interface ReportRow {
  readonly fault: string;
  readonly expected: string;
  readonly observed: string;
}

export function report(fault: string, expected: string, observed: string): void {
  const row: ReportRow = { fault, expected, observed };
  const file = process.env['FLOWCHAT_FAULT_REPORT'];
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
  else console.log(`report: ${fault} | ${expected} | ${observed}`);
}
