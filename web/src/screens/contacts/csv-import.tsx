import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { Trans, useTranslation } from 'react-i18next';
import { importContacts } from '../../api/contact-import.js';
import type { ImportProgress } from '../../api/contact-import.js';
import type { ImportResult } from '../../api/types.js';
import { formatNumber } from '../../lib/format.js';
import { DataTable } from '../../ui/data-table.js';
import { Field } from '../../ui/field.js';
import type { Column } from '../../ui/data-table.js';
import { InlineError } from '../../ui/inline-error.js';
import { ProgressBar } from '../../ui/progress-bar.js';

function errorColumns(t: TFunction): readonly Column<ImportResult['errors'][number]>[] {
  return [
    { header: t('contacts.import.line'), cell: (item) => item.line },
    { header: t('contacts.import.problem'), cell: (item) => item.message },
  ];
}

/** Uploads a CSV of contacts with a progress bar, then lists what landed and each failing line. */
export function CsvImport({ onImported }: { readonly onImported: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setError(t('contacts.import.chooseFile'));
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
        <Trans i18nKey="contacts.import.help" components={{ code: <code /> }} />
      </p>
      <form className="stack" onSubmit={submit}>
        <Field id="import-file" label={t('contacts.import.file')}>
          {(control) => <input {...control} type="file" accept=".csv,text/csv" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />}
        </Field>
        <button type="submit" className="primary" disabled={progress !== null}>
          {t('contacts.import.submit')}
        </button>
      </form>
      {progress ? (
        <div>
          <ProgressBar
            label={t('contacts.import.progress')}
            value={progress.processing ? undefined : Math.round(progress.uploaded * 100)}
            valueText={
              progress.processing ? t('contacts.import.processingServer') : t('contacts.import.uploaded', { percent: Math.round(progress.uploaded * 100) })
            }
          />
          <p className="hint" aria-live="polite">
            {progress.processing
              ? t('contacts.import.processing')
              : t('contacts.import.uploading', { percent: Math.round(progress.uploaded * 100) })}
          </p>
        </div>
      ) : null}
      <InlineError error={error} />
      {result ? (
        <section aria-label={t('contacts.import.report')} className="import-report">
          <p role="status">
            {t('contacts.import.summary', {
              count: result.errors.length,
              created: formatNumber(result.created),
              updated: formatNumber(result.updated),
              errors: formatNumber(result.errors.length),
            })}
          </p>
          {result.errors.length > 0 ? (
            <DataTable
              caption={t('contacts.import.failedLines')}
              showCaption
              columns={errorColumns(t)}
              rows={result.errors}
              rowKey={(item) => `${item.line}:${item.message}`}
            />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
