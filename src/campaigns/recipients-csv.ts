/**
 * The recipient report as CSV (RFC 4180: quoted where needed, CRLF line ends). Cells that a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a CR) get a
 * leading `'`, except phone numbers in E.164, which are data, not formulas.
 */
import type { RecipientResource } from '../resources/campaign.resource.js';

const recipientCsvColumns = [
  'contact_id', 'phone', 'name', 'status', 'reason', 'detail', 'error_code', 'error_message', 'message_id',
  'sent_at', 'delivered_at', 'read_at', 'failed_at',
] as const;

function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) && !/^\+\d+$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(cells: readonly (string | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function recipientCsvHeader(): string {
  return csvLine(recipientCsvColumns);
}

export function recipientCsvLine(recipient: RecipientResource): string {
  return csvLine([
    recipient.contact_id, recipient.phone, recipient.name, recipient.status, recipient.reason, recipient.detail,
    recipient.error?.code ?? null, recipient.error?.message ?? null, recipient.message_id,
    recipient.sent_at, recipient.delivered_at, recipient.read_at, recipient.failed_at,
  ]);
}
