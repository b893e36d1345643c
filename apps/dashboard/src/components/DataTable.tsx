import { Fragment, type ReactNode } from 'react';
import { TableWrap } from './TableWrap.tsx';

export type Column<Row> = {
  /** The header, and each cell's data-label (which a table laid out as cards shows beside the value). */
  label: string;
  /** The header is for screen readers only (a column of buttons); its cells get no data-label. */
  hiddenLabel?: boolean;
  /** Its cells get no data-label even in a table of cards. */
  unlabelled?: boolean;
  /** The cells are the rows' headers (<th scope="row">). */
  rowHeader?: boolean;
  headClass?: string;
  cellClass?: string | ((row: Row) => string | undefined);
  cellTitle?: (row: Row) => string | undefined;
  cell(row: Row): ReactNode;
};

type Props<Row> = {
  /** the scrolling box's accessible name */
  label: string;
  className: string;
  caption?: string;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey(row: Row): string | number;
  rowClass?(row: Row): string | undefined;
  /** Draws a row another way (a form editing it) where it returns something. */
  renderRow?(row: Row): ReactNode;
  /** The cells carry their column's label as data-label, for a table that becomes cards when narrow. */
  cards?: boolean;
  /** A last column of each row's buttons, under a header only screen readers read. */
  actions?: { label: string; cell(row: Row): ReactNode };
  /**
   * A line of the table's whole width under a row, where it returns something: for text too long for
   * a column (a job's error), which would make the row as tall as a screen.
   */
  detail?: { className: string; cell(row: Row): ReactNode };
};

/** A table in its TableWrap: one header per column, each row's cells drawn by the columns. */
export function DataTable<Row>({
  label,
  className,
  caption,
  columns,
  rows,
  rowKey,
  rowClass,
  renderRow,
  cards = false,
  actions,
  detail,
}: Props<Row>) {
  const all: Column<Row>[] = actions
    ? [...columns, { label: actions.label, hiddenLabel: true, cellClass: 'actions', cell: actions.cell }]
    : columns;
  return (
    <TableWrap label={label}>
      <table className={className}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {all.map((column) => (
              <th key={column.label} scope="col" className={column.headClass}>
                {column.hiddenLabel ? <span className="visually-hidden">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            const other = renderRow?.(row);
            if (other) return <Fragment key={key}>{other}</Fragment>;
            const more = detail?.cell(row);
            return (
              <Fragment key={key}>
                <tr
                  className={
                    [rowClass?.(row), more ? 'has-detail' : undefined].filter(Boolean).join(' ') || undefined
                  }
                >
                  {all.map((column) => {
                    const Cell = column.rowHeader ? 'th' : 'td';
                    return (
                      <Cell
                        key={column.label}
                        scope={column.rowHeader ? 'row' : undefined}
                        className={
                          typeof column.cellClass === 'function' ? column.cellClass(row) : column.cellClass
                        }
                        data-label={
                          cards && !column.hiddenLabel && !column.unlabelled ? column.label : undefined
                        }
                        title={column.cellTitle?.(row)}
                      >
                        {column.cell(row)}
                      </Cell>
                    );
                  })}
                </tr>
                {more && (
                  <tr className="row-detail">
                    <td colSpan={all.length} className={detail?.className}>
                      {more}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
