import { useState } from 'react';
import type { FormEvent } from 'react';
import { importContacts } from '../../api/contact-import.js';
import type { ImportProgress } from '../../api/contact-import.js';
import type { ImportResult } from '../../api/types.js';
import { formatNumber } from '../../lib/format.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';
import { InlineError } from '../../ui/inline-error.js';
import { ProgressBar } from '../../ui/progress-bar.js';

const ERROR_COLUMNS: readonly Column<ImportResult['errors'][number]>[] = [
  { header: 'Line', cell: (item) => item.line },
  { header: 'Problem', cell: (item) => item.message },
];

/** Uploads a CSV of contacts with a progress bar, then lists what landed and each failing line. */
export function CsvImport({ onImported }: { readonly onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setError('Choose a CSV file first.');
      return;
    }
    setError(null);
    setResult(null);
    setProgress({ uploaded: 0, processing: false });
    try {
      setResult(await importContacts(file, setProgress));
      onImported();
    } catch (reason) {
      setError(reason);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div className="stack">
      <p className="hint">
        The first row names the columns: <code>phone,name,email,tags</code> (tags separated by “;”). Other columns become contact
        details. Rows whose phone already exists update that contact.
      </p>
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </div>
        <button type="submit" className="primary" disabled={progress !== null}>
          Import
        </button>
      </form>
      {progress ? (
        <div>
          <ProgressBar
            label="Import progress"
            value={progress.processing ? undefined : Math.round(progress.uploaded * 100)}
            valueText={progress.processing ? 'Processing on the server' : `${Math.round(progress.uploaded * 100)}% uploaded`}
          />
          <p className="hint" aria-live="polite">
            {progress.processing ? 'Processing rows…' : `Uploading… ${Math.round(progress.uploaded * 100)}%`}
          </p>
        </div>
      ) : null}
      <InlineError error={error} />
      {result ? (
        <section aria-label="Import report" className="import-report">
          <p role="status">
            {formatNumber(result.created)} created, {formatNumber(result.updated)} updated, {formatNumber(result.errors.length)}{' '}
            {result.errors.length === 1 ? 'error' : 'errors'}.
          </p>
          {result.errors.length > 0 ? (
            <DataTable
              caption="Lines that were not imported"
              showCaption
              columns={ERROR_COLUMNS}
              rows={result.errors}
              rowKey={(item) => `${item.line}:${item.message}`}
            />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
