import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { adminApi } from "../../api/admin-api.ts";
import type { Theme, ThemeSource, ThemesReport, ThemeVerbatim } from "../../api/api-types.ts";
import { type Column, CsvButton, DataTable } from "../../components/data-table.tsx";
import { formatDateTime } from "../../lib/format.ts";
import {
  describeThemeChart,
  emptyThemesMessage,
  formatThemeChange,
  risingThemes,
  type ThemePeriod,
  themeChartRows,
  themePeriodDates,
  themePeriods,
  themeSourceLabels,
  trendLabels,
} from "../../lib/theme-report.ts";
import { useLoad } from "../../lib/use-load.ts";
import { AdminPageFrame, messageOf } from "./admin-parts.tsx";

/** Verbatims asked for per theme (the API's most). */
const verbatimsPerTheme = 10;

function TrendBadge({ theme }: { theme: Theme }) {
  const arrow = theme.trend === "rising" ? " ↑" : theme.trend === "falling" ? " ↓" : "";
  return (
    <span className={`badge trend-${theme.trend}`}>
      {trendLabels[theme.trend]}
      <span aria-hidden="true">{arrow}</span>
    </span>
  );
}

function verbatimSource(example: ThemeVerbatim): string {
  return example.source === "comment" ? "Survey comment" : "Customer's message";
}

function Verbatims({ theme, days }: { theme: Theme; days: number }) {
  const headingId = useId();
  const columns: Column<ThemeVerbatim>[] = [
    { label: "Theme", render: () => theme.phrase, csv: () => theme.phrase },
    { label: "Source", render: verbatimSource, csv: verbatimSource },
    { label: "Date", render: (example) => example.at, csv: (example) => example.at },
    { label: "Text", render: (example) => example.text, csv: (example) => example.text },
    { label: "Ticket", render: (example) => example.ticketId, csv: (example) => example.ticketId },
  ];
  return (
    <section className="admin-card" aria-labelledby={headingId} data-testid="theme-verbatims">
      <div className="admin-card-head">
        <h2 id={headingId}>“{theme.phrase}”: what customers wrote</h2>
        <CsvButton title={`Verbatims of ${theme.phrase}`} columns={columns} rows={theme.examples} />
      </div>
      <p className="muted">
        The newest {theme.examples.length} of {theme.count} {theme.count === 1 ? "mention" : "mentions"} in
        the last {days} days.
      </p>
      <ul className="plain-list">
        {theme.examples.map((example) => (
          <li key={`${example.source}-${example.responseId ?? example.messageId}`}>
            <blockquote className="comment">“{example.text}”</blockquote>
            <p className="muted">
              {verbatimSource(example)} · {formatDateTime(example.at)}
              {example.ticketId !== null && (
                <>
                  {" · "}
                  <a href={`/inbox/all/tickets/${example.ticketId}`}>ticket #{example.ticketId}</a>
                </>
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ThemesChart({ themes, days }: { themes: Theme[]; days: number }) {
  const captionId = useId();
  const rows = themeChartRows(themes);
  return (
    <figure className="chart-figure" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        Mentions in the last {days} days and in the {days} days before
      </figcaption>
      <div role="img" aria-label={`${describeThemeChart(themes, days)} The table below has every figure.`}>
        <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 34 + 60)}>
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#dde3e9" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
            <YAxis type="category" dataKey="phrase" width={170} tick={{ fontSize: 12 }} />
            <Tooltip />
            {/* Legend words in the text colour: the bars' own colours are too light for text. */}
            <Legend formatter={(value) => <span className="chart-legend-text">{value}</span>} />
            <Bar dataKey="current" name={`Last ${days} days`} fill="#2f6f5e" isAnimationActive={false} />
            <Bar dataKey="previous" name={`${days} days before`} fill="#7b8794" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function ThemesBody(props: {
  report: ThemesReport;
  days: number;
  selected: string | null;
  onSelect: (phrase: string) => void;
}) {
  const { report, days, selected } = props;
  const empty = emptyThemesMessage(report, days);
  const rising = risingThemes(report.themes);
  const selectedTheme = report.themes.find((theme) => theme.phrase === selected) ?? null;
  const columns: Column<Theme>[] = [
    {
      label: "Theme",
      render: (theme) => (
        <button
          type="button"
          className="link-button"
          aria-pressed={theme.phrase === selected}
          onClick={() => props.onSelect(theme.phrase)}
        >
          {theme.phrase}
        </button>
      ),
      csv: (theme) => theme.phrase,
    },
    { label: "Mentions", render: (theme) => theme.count, csv: (theme) => theme.count, numeric: true },
    {
      label: `${days} days before`,
      render: (theme) => theme.previousCount,
      csv: (theme) => theme.previousCount,
      numeric: true,
    },
    {
      label: "Change",
      render: formatThemeChange,
      csv: (theme) => theme.count - theme.previousCount,
      numeric: true,
    },
    {
      label: "Trend",
      render: (theme) => <TrendBadge theme={theme} />,
      csv: (theme) => trendLabels[theme.trend],
    },
  ];
  return (
    <>
      <p className="muted" data-testid="themes-texts">
        {report.texts.current} {report.texts.current === 1 ? "text" : "texts"} in the last {days} days (
        {report.texts.previous} in the {days} days before) · {themeSourceLabels[report.source].toLowerCase()}
      </p>
      {empty ? (
        <p className="section-empty" data-testid="themes-empty">
          {empty}
        </p>
      ) : (
        <>
          {rising.length > 0 && (
            <p className="themes-rising" data-testid="themes-rising">
              <strong>Rising:</strong>{" "}
              {rising.map((theme, index) => (
                <span key={theme.phrase}>
                  {index > 0 && " · "}
                  <button type="button" className="link-button" onClick={() => props.onSelect(theme.phrase)}>
                    {theme.phrase}
                  </button>{" "}
                  ({theme.count}, up from {theme.previousCount})
                </span>
              ))}
            </p>
          )}
          <ThemesChart themes={report.themes} days={days} />
          <DataTable
            title={`Themes, last ${days} days`}
            columns={columns}
            rows={report.themes}
            rowKey={(theme) => theme.phrase}
            captionExtra={<span className="muted small">Pick a theme to read what customers wrote</span>}
          />
          {selectedTheme && <Verbatims theme={selectedTheme} days={days} />}
        </>
      )}
    </>
  );
}

/** Leads: recurring phrases in customers' messages and survey comments, rising ones marked, and the words behind them. */
export function ThemesReportPage() {
  const [days, setDays] = useState<ThemePeriod>(30);
  const [source, setSource] = useState<ThemeSource>("all");
  const [selected, setSelected] = useState<string | null>(null);
  const [state, reload] = useLoad(
    () => adminApi.themes({ ...themePeriodDates(days, new Date()), source, examples: verbatimsPerTheme }),
    `${days}:${source}`,
  );

  return (
    <AdminPageFrame
      title="What customers are saying"
      intro="Recurring phrases in customers' own words (quoted earlier mail left out) and in survey comments, in the chosen days against the same number of days before."
      busy={state.status === "loading"}
    >
      <form className="filter-bar" onSubmit={(event) => event.preventDefault()}>
        <label>
          Over the last{" "}
          <select
            value={days}
            onChange={(event) => {
              setDays(Number(event.target.value) as ThemePeriod);
              setSelected(null);
            }}
          >
            {themePeriods.map((period) => (
              <option key={period} value={period}>
                {period} days
              </option>
            ))}
          </select>
        </label>
        <label>
          Read{" "}
          <select
            value={source}
            onChange={(event) => {
              setSource(event.target.value as ThemeSource);
              setSelected(null);
            }}
          >
            {(Object.keys(themeSourceLabels) as ThemeSource[]).map((key) => (
              <option key={key} value={key}>
                {themeSourceLabels[key]}
              </option>
            ))}
          </select>
        </label>
      </form>
      {state.status === "loading" && (
        <p className="muted" aria-busy="true">
          Reading what customers wrote…
        </p>
      )}
      {state.status === "error" && (
        <div className="section-problem" role="alert">
          <p>
            {messageOf(state.error, "Could not load the themes.")} Try again; if it keeps failing, the server
            log says more.
          </p>
          <button type="button" className="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {state.status === "ready" && (
        <ThemesBody report={state.data} days={days} selected={selected} onSelect={setSelected} />
      )}
    </AdminPageFrame>
  );
}
