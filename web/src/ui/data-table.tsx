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

/** A request's progress (a `useAsync` state): its loading and error show with the table. */
interface RequestState {
  readonly loading: boolean;
  readonly error: unknown;
}

interface TableProps<T> {
  /** The table's accessible name; shown to screen readers only unless `showCaption`. */
  readonly caption: string;
  readonly showCaption?: boolean;
  readonly columns: readonly Column<T>[];
  readonly rowKey: (row: T) => string;
  readonly loadingLabel?: string;
  /** Shown when the answer has no rows. */
  readonly empty?: ReactNode;
  /** Leaves the table out until there are rows to show. */
  readonly hideWhenEmpty?: boolean;
}

interface RowsProps<T> extends TableProps<T> {
  /** Undefined until the first answer arrives. */
  readonly rows: readonly T[] | undefined;
  /** The request that loads the rows. */
  readonly request?: RequestState;
  readonly list?: never;
}

interface ListProps<T> extends TableProps<T> {
  /** The request whose answer is the rows themselves. */
  readonly list: RequestState & { readonly data: readonly T[] | undefined };
  readonly rows?: never;
  readonly request?: never;
}

export function DataTable<T>(props: RowsProps<T> | ListProps<T>) {
  const { caption, showCaption, columns, rowKey, loadingLabel, empty, hideWhenEmpty } = props;
  const rows = props.list ? props.list.data : props.rows;
  const request = props.list ?? props.request;
  const loading = request?.loading ?? false;
  const error = request?.error;
  return (
    <>
      <InlineError error={error} />
      {hideWhenEmpty && !rows?.length ? null : (
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
      )}
      {loading && rows === undefined ? <Loading label={loadingLabel} /> : null}
      {!loading && rows?.length === 0 && !error && empty ? <p className="empty">{empty}</p> : null}
    </>
  );
}
