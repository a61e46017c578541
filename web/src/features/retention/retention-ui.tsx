import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from "react";
import { downloadText } from "../../lib/csv.ts";
import { type CsvCell, csvFileName, toCsv } from "../../lib/csv-export.ts";
import { currencyFractionDigits } from "../../lib/format.ts";
import { describeLoadError, humanise, nextSteps } from "../../lib/retention-messages.ts";

export { describeLoadError, nextSteps };

// Building blocks of the retention dashboard: data loading with its states, a section frame that says what to do
// when something is missing, definitions on demand, and tables that always offer their data as CSV.

export type Loadable<T> =
  | { status: "loading" }
  | { status: "error"; error: unknown }
  | { status: "ready"; data: T };

/** Loads once per change of `key`; `reload()` asks again. A late answer for an older key is dropped. */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loadable<T>, () => void] {
  const [state, setState] = useState<Loadable<T>>({ status: "loading" });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: key and nonce are the reasons to load again
  useEffect(() => {
    let cancelled = false;
    setState({ status: "loading" });
    loadRef
      .current()
      .then((data) => {
        if (!cancelled) setState({ status: "ready", data });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ status: "error", error });
      });
    return () => {
      cancelled = true;
    };
  }, [key, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return [state, reload];
}

/** Text with `code` spans, for next-step messages that name a command. */
export function WithCode({ text }: { text: string }) {
  const parts = text.split("`");
  return (
    <>
      {parts.map((part, index) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of a fixed string never move
        index % 2 === 1 ? <code key={index}>{part}</code> : <span key={index}>{part}</span>,
      )}
    </>
  );
}

/** A "?" that opens a definition (click, Enter or Space); hovering shows it too. */
export function Definition({ term, text }: { term: string; text: string | undefined }) {
  if (!text) return null;
  return (
    <details className="definition">
      <summary title={text} aria-label={`What is ${term.toLowerCase()}?`}>
        ?
      </summary>
      <p>{text}</p>
    </details>
  );
}

type SectionProps<T> = {
  id: string;
  title: string;
  state: Loadable<T>;
  onRetry: () => void;
  /** A message (with `code`) when the data holds nothing to show; null when there is something. */
  empty?: (data: T) => string | null;
  definitions?: (data: T) => ReactNode;
  actions?: ReactNode;
  /** Actions that only make sense with data in hand (e.g. Download CSV). */
  readyActions?: (data: T) => ReactNode;
  children: (data: T) => ReactNode;
  wide?: boolean;
};

/** A dashboard section: heading, then loading / error with retry / empty with the next step / the content. */
export function Section<T>(props: SectionProps<T>) {
  const { id, title, state } = props;
  const headingId = `${id}-heading`;
  let body: ReactNode;
  if (state.status === "loading") {
    body = (
      <p className="muted" aria-busy="true">
        Loading {title.toLowerCase()}…
      </p>
    );
  } else if (state.status === "error") {
    body = (
      <div className="section-problem" role="alert">
        <p>{describeLoadError(state.error)}</p>
        <button type="button" className="button" onClick={props.onRetry}>
          Try again
        </button>
      </div>
    );
  } else {
    const emptyText = props.empty?.(state.data) ?? null;
    body = emptyText ? (
      <p className="section-empty">
        <WithCode text={emptyText} />
      </p>
    ) : (
      <>
        {props.children(state.data)}
        {props.definitions && <div className="definitions">{props.definitions(state.data)}</div>}
      </>
    );
  }
  return (
    <section id={id} aria-labelledby={headingId} className={`dash-section${props.wide ? " dash-wide" : ""}`}>
      <div className="dash-section-head">
        <h2 id={headingId}>{title}</h2>
        <div className="section-actions">
          {props.actions}
          {state.status === "ready" && !props.empty?.(state.data) && props.readyActions?.(state.data)}
        </div>
      </div>
      {body}
    </section>
  );
}

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

/** A figure's definitions as a short list under the section. */
export function DefinitionList({ definitions }: { definitions: Record<string, string> | undefined }) {
  const entries = Object.entries(definitions ?? {});
  if (entries.length === 0) return null;
  return (
    <details className="definition-list">
      <summary>How these figures are defined</summary>
      <dl>
        {entries.map(([term, text]) => (
          <div key={term}>
            <dt>{humanise(term)}</dt>
            <dd>{text}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** Minor units as a decimal number of major units (for CSV cells and chart axes; not for exact sums). */
export function majorUnits(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** currencyFractionDigits(currency);
}

/** Money in a few characters for chart axes: $1.2K. */
export function compactMoney(amountMinor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, {
      style: "currency",
      currency,
      notation: "compact",
      maximumFractionDigits: 1,
    }).format(majorUnits(amountMinor, currency));
  } catch {
    return `${majorUnits(amountMinor, currency)} ${currency}`;
  }
}

/** Line colours for charts, told apart by more than hue where it matters (dashes for the second series). */
export const chartPalette = [
  "#2f6f5e",
  "#c2571a",
  "#1f5fa8",
  "#8e3f8f",
  "#7a6a12",
  "#4b5563",
  "#0f8a8a",
  "#b3261e",
];
