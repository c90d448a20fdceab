// A table of loaded rows with its loading, error and empty states: one shape for every list screen.
import type { ReactNode } from 'react';
import { InlineError } from './inline-error.js';
import { Loading } from './loading.js';

export interface Column<T> {
  readonly header: string;
  /** Named for screen readers only, e.g. a column of buttons. */
  readonly hiddenHeader?: boolean;
  /** The cell heads its row (`<th scope="row">`). */
  readonly rowHeader?: boolean;
  readonly className?: string;
  readonly cell: (row: T) => ReactNode;
}

interface DataTableProps<T> {
  /** The table's accessible name; shown to screen readers only unless `showCaption`. */
  readonly caption: string;
  readonly showCaption?: boolean;
  readonly columns: readonly Column<T>[];
  /** Undefined until the first answer arrives. */
  readonly rows: readonly T[] | undefined;
  readonly rowKey: (row: T) => string;
  /** The request that loads the rows (a `useAsync` state): its loading and error show here. */
  readonly request?: { readonly loading: boolean; readonly error: unknown };
  readonly loadingLabel?: string;
  /** Shown when the answer has no rows. */
  readonly empty?: ReactNode;
}

export function DataTable<T>({ caption, showCaption, columns, rows, rowKey, request, loadingLabel, empty }: DataTableProps<T>) {
  const loading = request?.loading ?? false;
  const error = request?.error;
  return (
    <>
      <InlineError error={error} />
      <table className="table">
        <caption className={showCaption ? undefined : 'visually-hidden'}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column.header}>
                {column.hiddenHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(rows ?? []).map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) =>
                column.rowHeader ? (
                  <th scope="row" key={column.header} className={column.className}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={column.header} className={column.className}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {loading && rows === undefined ? <Loading label={loadingLabel} /> : null}
      {!loading && rows?.length === 0 && !error && empty ? <p className="empty">{empty}</p> : null}
    </>
  );
}
