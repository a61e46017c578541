import type { ReactNode } from "react";
import { currencyFractionDigits } from "../../lib/format.ts";
import { describeLoadError, humanise, nextSteps } from "../../lib/retention-messages.ts";
import type { Loadable } from "../../lib/use-load.ts";

export { describeLoadError, nextSteps };

// Building blocks of the retention dashboard: a section frame that says what to do when something is missing and
// definitions on demand. Loading (lib/use-load.ts) and tables with CSV (components/data-table.tsx) are shared.

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
