import { type ReactNode, useId } from "react";
import { downloadText } from "../lib/csv.ts";
import { type CsvCell, csvFileName, toCsv } from "../lib/csv-export.ts";

// Report tables for leads (retention dashboard, themes): a caption, the rows, and the same rows as a CSV file.

export type Column<Row> = {
  label: string;
  /** The cell as shown. */
  render: (row: Row) => ReactNode;
  /** The cell in the CSV file (defaults to nothing: leave out columns like buttons). */
  csv?: (row: Row) => CsvCell;
  numeric?: boolean;
};

/** Offers rows as a CSV file made in the browser (for answers the API has no CSV form of). */
export function downloadCsv(title: string, header: readonly string[], rows: readonly (readonly CsvCell[])[]) {
  downloadText(csvFileName(title, new Date()), toCsv(header, rows));
}

/** "Download CSV": a link to the API's CSV when there is one, else a button that builds the file from the rows. */
export function CsvButton<Row>(props: {
  title: string;
  href?: string;
  columns?: readonly Column<Row>[];
  rows?: readonly Row[];
}) {
  const label = (
    <>
      Download CSV<span className="visually-hidden"> of {props.title.toLowerCase()}</span>
    </>
  );
  if (props.href) {
    return (
      <a className="button button-small" href={props.href} download>
        {label}
      </a>
    );
  }
  const columns = (props.columns ?? []).filter((column) => column.csv);
  return (
    <button
      type="button"
      className="button button-small"
      onClick={() =>
        downloadCsv(
          props.title,
          columns.map((column) => column.label),
          (props.rows ?? []).map((row) => columns.map((column) => column.csv?.(row))),
        )
      }
    >
      {label}
    </button>
  );
}

/** A plain, accessible table with a caption and its own "Download CSV". */
export function DataTable<Row>(props: {
  title: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  csvHref?: string;
  captionExtra?: ReactNode;
  maxHeight?: number;
}) {
  const captionId = useId();
  return (
    <div className="data-table">
      <div className="data-table-head">
        <span id={captionId} className="data-table-title">
          {props.title}
        </span>
        {props.captionExtra}
        <CsvButton title={props.title} href={props.csvHref} columns={props.columns} rows={props.rows} />
      </div>
      <ScrollRegion className="table-scroll" labelledBy={captionId} maxHeight={props.maxHeight}>
        <table>
          <caption className="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              {props.columns.map((column) => (
                <th key={column.label} scope="col" className={column.numeric ? "num" : undefined}>
                  {column.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={props.rowKey(row)}>
                {props.columns.map((column) => (
                  <td key={column.label} className={column.numeric ? "num" : undefined}>
                    {column.render(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </div>
  );
}

/** A region that scrolls on its own; focusable so keyboard users can scroll it too. */
export function ScrollRegion(props: {
  className: string;
  labelledBy?: string;
  label?: string;
  maxHeight?: number;
  children: ReactNode;
}) {
  return (
    <section
      className={props.className}
      aria-labelledby={props.labelledBy}
      aria-label={props.label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
      tabIndex={0}
      style={props.maxHeight ? { maxHeight: props.maxHeight } : undefined}
    >
      {props.children}
    </section>
  );
}
